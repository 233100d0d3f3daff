import { dataOwnerScript } from "../../lib/docker/dataOwner";
import { DeclaredResource, runProgram } from "../support/runProgram";
import { fleet, secretsFor, tenantYaml } from "../support/tenantFiles";

const CONTAINER = "docker:index/container:Container";
const VOLUME = "docker:index/volume:Volume";

function labels(resource: DeclaredResource): Record<string, string> {
    return Object.fromEntries(
        (resource.inputs.labels as { label: string; value: string }[]).map((l) => [l.label, l.value]),
    );
}

describe("dev stack", () => {
    let run: Awaited<ReturnType<typeof runProgram>>;
    beforeAll(async () => {
        run = await runProgram({ ...fleet(["shop-a", "shop-b"]), config: { configRoot: "/srv/zc" } });
    });

    test("declares one volume, data owner and gateway container per tenant, on the local engine", () => {
        expect(run.byType(VOLUME).map((r) => r.inputs.name)).toEqual(["shop-a-data", "shop-b-data"]);
        expect(
            run
                .byType(CONTAINER)
                .map((r) => r.inputs.name)
                .sort(),
        ).toEqual([
            expect.stringMatching(/^zc-configs-[0-9a-f]{12}$/),
            "zc-shop-a",
            "zc-shop-a.data-owner",
            "zc-shop-b",
            "zc-shop-b.data-owner",
        ]);
        const provider = run.one("pulumi:providers:docker", "local/docker");
        expect(provider.inputs.host).toBe("unix:///var/run/docker.sock");
        for (const r of [...run.byType(VOLUME), ...run.byType(CONTAINER)]) {
            expect(r.provider).toMatch(
                /^urn:pulumi:dev::zeptoclaw-fleet::zeptoclaw-fleet:host:LocalHost\$pulumi:providers:docker::local\/docker::/,
            );
        }
    });

    test("containers register as the provider's Container type, with its plugin version", () => {
        const { version } = require("@pulumi/docker/package.json");
        for (const c of run.byType(CONTAINER)) {
            expect(c.options.version).toBe(version);
        }
        expect(run.byType(VOLUME)[0].options.version).toBe(version);
    });

    test("the gateway is the seed's compose block, made correct", () => {
        const gw = run.one(CONTAINER, "shop-a/gateway").inputs;
        expect(gw.command).toEqual(["zeptoclaw", "gateway"]);
        expect(gw.restart).toBe("unless-stopped");
        // RUST_LOG_FORMAT is read nowhere by ZeptoClaw 0.9.2: the format is the config's logging.
        expect(gw.envs).toEqual(["HOME=/data", "RUST_LOG=zeptoclaw=info", "ZEPTOCLAW_HEALTH_PORT=9090"]);
        expect(gw.mounts).toEqual([
            { type: "volume", source: "shop-a-data", target: "/data" },
            {
                type: "bind",
                source: "/srv/zc/shop-a/config.json",
                target: "/data/.zeptoclaw/config.json",
                readOnly: true,
            },
            { type: "bind", source: "/dev/null", target: "/data/workspace/.mcp.json", readOnly: true },
        ]);
        expect(gw.healthcheck).toEqual({
            tests: [
                "CMD",
                "wget",
                "-q",
                "-O",
                "-",
                "http://127.0.0.1:9090/healthz",
                "http://127.0.0.1:9090/readyz",
            ],
            interval: "30s",
            timeout: "5s",
            retries: 3,
            startPeriod: "10s",
            // The dev engine's API (dockerApiVersion, 1.45 by default) has start_interval.
            startInterval: "500ms",
        });
        expect(gw.logDriver).toBe("json-file");
        expect(gw.logOpts).toEqual({ "max-size": "10m", "max-file": "3" });
        expect(labels(run.one(CONTAINER, "shop-a/gateway"))).toMatchObject({
            "com.zeptoclaw.tenant": "shop-a",
            "com.zeptoclaw.version": "0.9.2",
            "com.zeptoclaw.env": "dev",
            // Its resources.pids, for the host's PidsLimit service (lib/host/pidsLimit.ts).
            "com.zeptoclaw.pids-limit": "256",
        });
    });

    test("stops: an init as PID 1 passes SIGINT, the only signal ZeptoClaw stops on, and reaps orphans", () => {
        const gw = run.one(CONTAINER, "shop-a/gateway").inputs;
        expect(gw).toMatchObject({ init: true, stopSignal: "SIGINT", stopTimeout: 10 });
        expect(gw.ports).toBeUndefined();
    });

    test("no MCP server can be declared from inside: $HOME/.mcp is an empty read-only tmpfs", () => {
        const gw = run.one(CONTAINER, "shop-a/gateway").inputs;
        expect(gw.tmpfs).toEqual({
            "/tmp": "rw,noexec,nosuid,nodev,size=64m",
            "/data/.mcp": "ro,noexec,nosuid,nodev,size=4k,mode=0555",
        });
    });

    test("limits: 128 MB with 32 reserved, 0.25 CPU with a 0.05 weight, bounded processes", () => {
        const gw = run.one(CONTAINER, "shop-a/gateway").inputs;
        expect(gw).toMatchObject({
            memory: 128,
            memoryReservation: 32,
            memorySwap: 128,
            cpus: "0.25",
            cpuShares: 51,
        });
        // One above the slice's 256: where the host keeps slices, the pids controller refuses first.
        expect(gw.ulimits).toContainEqual({ name: "nproc", soft: 257, hard: 257 });
    });

    test("hardening: never privileged, never the Docker socket, no new privileges, minimal capabilities", () => {
        for (const c of run.byType(CONTAINER)) {
            expect(c.inputs.privileged).toBeUndefined();
            expect(JSON.stringify([c.inputs.mounts, c.inputs.volumes])).not.toMatch(/docker\.sock/);
            expect(c.inputs.securityOpts).toContain("no-new-privileges:true");
            expect(c.inputs.capabilities.drops).toEqual(["ALL"]);
        }
        const gw = run.one(CONTAINER, "shop-a/gateway").inputs;
        // A local engine is not known to run AppArmor or keep the tenants' slices (Pulumi.dev.yaml).
        expect(gw.securityOpts).toEqual(["no-new-privileges:true"]);
        expect(gw.cgroupParent).toBeUndefined();
        expect(gw.capabilities).toEqual({ drops: ["ALL"] });
        expect(gw.readOnly).toBe(true);
    });

    test("the gateway starts as the tenant's own uid, through the upstream entrypoint", () => {
        const gw = run.one(CONTAINER, "shop-a/gateway").inputs;
        expect(gw.entrypoints).toEqual(["docker-entrypoint.sh"]);
        const [uid, gid] = String(gw.user).split(":").map(Number);
        expect(uid).toBeGreaterThanOrEqual(10_000_000);
        expect(gid).toBe(uid);
        expect(run.one(CONTAINER, "shop-b/gateway").inputs.user).not.toBe(gw.user);
    });

    test("the data owner gives the volume to that uid, once, before the gateway starts", () => {
        const gw = run.one(CONTAINER, "shop-a/gateway");
        const owner = run.one(CONTAINER, "shop-a/data-owner");
        expect(owner.inputs).toMatchObject({
            entrypoints: ["/bin/sh", "-c", dataOwnerScript(), "data-owner"],
            command: [String(gw.inputs.user).split(":")[0]],
            user: "0:0",
            attach: true,
            mustRun: false,
            networkMode: "none",
            readOnly: true,
            mounts: [{ type: "volume", source: "shop-a-data", target: "/data" }],
            capabilities: { drops: ["ALL"], adds: ["CHOWN", "DAC_READ_SEARCH"] },
            image: gw.inputs.image,
        });
        expect(labels(owner)).toMatchObject({
            "com.zeptoclaw.role": "data-owner",
            "com.zeptoclaw.tenant": "shop-a",
        });
        expect(gw.options.dependencies).toContain(owner.urn);
        // A new image does not run it again; a new uid does, and its fixed name needs delete first.
        expect(owner.options).toMatchObject({ ignoreChanges: ["image"], deleteBeforeReplace: true });
    });

    test("isolation: all tenants on one network with inter-container traffic off", () => {
        const network = run.one("docker:index/network:Network", "local/tenants/bridge").inputs;
        expect(network.options).toMatchObject({ "com.docker.network.bridge.enable_icc": "false" });
        for (const name of ["shop-a", "shop-b"]) {
            expect(run.one(CONTAINER, `${name}/gateway`).inputs.networksAdvanced).toEqual([
                { name: "zc-tenants" },
            ]);
        }
        expect(run.byType("docker:index/network:Network")).toHaveLength(1);
    });

    test("data survives: volumes are retained on removal, containers are replaced delete-first", () => {
        for (const v of run.byType(VOLUME)) {
            expect(v.options.retainOnDelete).toBe(true);
        }
        const gw = run.one(CONTAINER, "shop-a/gateway");
        expect(gw.options.deleteBeforeReplace).toBe(true);
        const writer = run.byType(CONTAINER).find((c) => c.name === "local/configs/writer");
        expect(gw.options.dependencies).toContain(writer?.urn);
    });

    test("the config reaches the host through the writer, secret", () => {
        const writer = run.one(CONTAINER, "local/configs/writer");
        const upload = (writer.inputs.uploads as { file: string; content: string }[]).find(
            (u) => u.file === "/fleet-config/shop-a/config.json",
        );
        expect(JSON.parse(upload?.content ?? "")).toMatchObject({
            providers: { anthropic: { api_key: secretsFor(["shop-a"])["shop-a"].anthropicApiKey } },
        });
        expect(writer.inputs.volumes).toEqual([{ hostPath: "/srv/zc", containerPath: "/fleet-config" }]);
    });

    test("the stack's fleet policy reaches every tenant's config", async () => {
        const strict = await runProgram({
            ...fleet(["shop-a", "shop-b"]),
            config: {
                policyDeniedTools: ["shell", "git"],
                policyMaxAgentMode: "observer",
                policyMonthlyTokenCap: 1000,
            },
        });
        const writer = strict.byType(CONTAINER).find((c) => c.name === "local/configs/writer");
        const uploads = writer?.inputs.uploads as { file: string; content: string }[];
        for (const t of ["shop-a", "shop-b"]) {
            const config = JSON.parse(
                uploads.find((u) => u.file === `/fleet-config/${t}/config.json`)?.content ?? "",
            );
            expect(config).toMatchObject({
                agent_mode: { mode: "observer" },
                tools: { deny: ["shell", "git"] },
                gateway: { startup_guard: { enabled: false } },
                providers: {
                    anthropic: { quota: { max_tokens: 1000, period: "monthly", action: "reject" } },
                },
                logging: { format: "json" },
            });
        }
    });

    test("outputs: host, DOCKER_HOST command, image, each tenant's container and volume", () => {
        expect(run.outputs).toMatchObject({
            hostName: "local",
            hostAddress: "localhost",
            dockerHostCommand: "export DOCKER_HOST=unix:///var/run/docker.sock",
            image: { reference: "ghcr.io/qhkm/zeptoclaw:0.9.2", id: expect.stringMatching(/^sha256:/) },
            tenants: {
                "shop-a": { container: "zc-shop-a", volume: "shop-a-data" },
                "shop-b": { container: "zc-shop-b", volume: "shop-b-data" },
            },
        });
    });
});

describe("changes stay with their tenant", () => {
    const inputsOf = (run: Awaited<ReturnType<typeof runProgram>>, tenant: string) =>
        run.resources
            .filter((r) => r.name.startsWith(`${tenant}/`))
            .map((r) => ({ name: r.name, inputs: r.inputs }));

    test("adding a tenant changes no other tenant's inputs", async () => {
        const before = await runProgram(fleet(["shop-a", "shop-b"]));
        const after = await runProgram(fleet(["shop-a", "shop-b", "shop-c"]));
        expect(inputsOf(after, "shop-a")).toEqual(inputsOf(before, "shop-a"));
        expect(inputsOf(after, "shop-b")).toEqual(inputsOf(before, "shop-b"));
        expect(inputsOf(after, "shop-c")).toHaveLength(3);
    });

    test("a changed config changes only that tenant's container (through its config digest)", async () => {
        const base = fleet(["shop-a", "shop-b"]);
        const before = await runProgram(base);
        const changed = await runProgram({
            ...base,
            tenantFiles: {
                ...base.tenantFiles,
                "shop-a.yaml": tenantYaml("shop-a", {
                    zeptoclaw: { ...fleetSettings(), heartbeat: { enabled: true } },
                }),
            },
        });
        expect(inputsOf(changed, "shop-b")).toEqual(inputsOf(before, "shop-b"));
        const sha = (run: typeof before) =>
            labels(run.one(CONTAINER, "shop-a/gateway"))["com.zeptoclaw.config-sha256"];
        expect(sha(changed)).not.toBe(sha(before));
    });

    test("the image is referenced by immutable id: a new version rolls every tenant", async () => {
        const base = fleet(["shop-a", "shop-b"]);
        const v1 = await runProgram(base);
        const v2 = await runProgram({ ...base, config: { imageVersion: "0.9.3" } });
        for (const t of ["shop-a", "shop-b"]) {
            expect(v1.one(CONTAINER, `${t}/gateway`).inputs.image).toMatch(/^sha256:/);
            expect(v2.one(CONTAINER, `${t}/gateway`).inputs.image).not.toBe(
                v1.one(CONTAINER, `${t}/gateway`).inputs.image,
            );
        }
        expect(v2.one("docker:index/remoteImage:RemoteImage", "local/zeptoclaw/published").inputs.name).toBe(
            "ghcr.io/qhkm/zeptoclaw:0.9.3",
        );
    });
});

describe("adopting an existing volume", () => {
    test("a tenant can name its data volume, e.g. the seed's compose volume", async () => {
        const files = { "shop-a.yaml": tenantYaml("shop-a", { volume: "zeptoclaw_shop-a-data" }) };
        const run = await runProgram({ tenantFiles: files, tenantSecrets: secretsFor(["shop-a"]) });
        expect(run.one(VOLUME, "shop-a/data").inputs.name).toBe("zeptoclaw_shop-a-data");
        expect(run.one(CONTAINER, "shop-a/gateway").inputs.mounts[0]).toEqual({
            type: "volume",
            source: "zeptoclaw_shop-a-data",
            target: "/data",
        });
        expect(run.outputs).toMatchObject({ tenants: { "shop-a": { volume: "zeptoclaw_shop-a-data" } } });
    });

    test("the labels an adopted volume already has are kept: the provider reads them back and they force a new volume", async () => {
        const files = { "shop-a.yaml": tenantYaml("shop-a", { volume: "zeptoclaw_shop-a-data" }) };
        const run = await runProgram({ tenantFiles: files, tenantSecrets: secretsFor(["shop-a"]) });
        expect(run.one(VOLUME, "shop-a/data").options.ignoreChanges).toEqual(["labels"]);
    });

    test("cpus is declared as the provider reads it back: 1 as 1.0, 0.5 as 0.5", async () => {
        const files = {
            "shop-a.yaml": tenantYaml("shop-a", { resources: { cpus: 1 } }),
            "shop-b.yaml": tenantYaml("shop-b", { resources: { cpus: 0.5 } }),
        };
        const run = await runProgram({ tenantFiles: files, tenantSecrets: secretsFor(["shop-a", "shop-b"]) });
        expect(run.one(CONTAINER, "shop-a/gateway").inputs.cpus).toBe("1.0");
        expect(run.one(CONTAINER, "shop-b/gateway").inputs.cpus).toBe("0.5");
    });
});

describe("image sources", () => {
    test("a published image can be pinned by digest", async () => {
        const digest = `sha256:${"a".repeat(64)}`;
        const run = await runProgram({ ...fleet(["shop-a"]), config: { imageDigest: digest } });
        expect(
            run.one("docker:index/remoteImage:RemoteImage", "local/zeptoclaw/published").inputs,
        ).toMatchObject({
            name: `ghcr.io/qhkm/zeptoclaw:0.9.2@${digest}`,
            keepLocally: true,
        });
    });

    test("a build uses the configured context on the target engine, and tenants use its id", async () => {
        const run = await runProgram({
            ...fleet(["shop-a"]),
            config: { imageSource: "build", imageContext: "tests/fixtures/zeptoclaw-standin" },
        });
        const image = run.one("docker:index/image:Image", "local/zeptoclaw/build").inputs;
        expect(image.build.context).toMatch(/tests\/fixtures\/zeptoclaw-standin$/);
        expect(image.skipPush).toBe(true);
        expect(run.one(CONTAINER, "shop-a/gateway").inputs.image).toMatch(/^sha256:/);
    });
});

function fleetSettings() {
    return {
        providers: { anthropic: { api_key: { secret: "anthropicApiKey" } } },
        channels: { telegram: { enabled: true, token: { secret: "telegramBotToken" } } },
    };
}
