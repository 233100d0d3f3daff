import {
    anyContainerViolations,
    guardrails,
    isTenantContainer,
    statefulResourceViolations,
    tenantContainerViolations,
} from "../../../lib/policy/guardrails";
import { prodStack } from "../../support/prodStack";
import { runProgram } from "../../support/runProgram";
import { fleet } from "../../support/tenantFiles";

/** A tenant container's inputs that pass every guardrail, built by hand. */
function goodTenant(): Record<string, any> {
    return {
        labels: [{ label: "com.zeptoclaw.role", value: "gateway" }],
        user: "20000001:20000001",
        memory: 128,
        cpus: "0.25",
        ulimits: [{ name: "nproc", soft: 256, hard: 256 }],
        mounts: [
            {
                type: "bind",
                source: "/srv/zc/a/config.json",
                target: "/data/.zeptoclaw/config.json",
                readOnly: true,
            },
        ],
        logDriver: "json-file",
        logOpts: { "max-size": "10m", "max-file": "3" },
        restart: "unless-stopped",
    };
}

const container = (props: Record<string, any>) => ({ type: "docker:index/container:Container", props });

describe("guardrails, on hand-built inputs", () => {
    test("a compliant tenant container passes", () => {
        expect(tenantContainerViolations(container(goodTenant()))).toEqual([]);
        const listener = { ports: [{ internal: 9877, external: 23001, ip: "127.0.0.1", protocol: "tcp" }] };
        expect(tenantContainerViolations(container({ ...goodTenant(), ...listener }))).toEqual([]);
        expect(anyContainerViolations(container(goodTenant()))).toEqual([]);
    });

    test.each([
        ["no memory limit", { memory: undefined }, "has no memory limit"],
        ["no CPU limit", { cpus: undefined }, "has no CPU limit"],
        ["no process limit", { ulimits: [] }, "has no process limit (ulimit nproc)"],
        [
            "a writable config",
            { mounts: [{ target: "/data/.zeptoclaw/config.json", readOnly: false }] },
            "does not mount its config read-only",
        ],
        [
            "the config elsewhere",
            { mounts: [{ target: "/data/config.json", readOnly: true }] },
            "does not mount its config read-only",
        ],
        ["root's uid", { user: "0:0" }, "runs as root"],
        ["root by name", { user: "root" }, "runs as root"],
        ["no user", { user: undefined }, "runs as root"],
        [
            "an added capability",
            { capabilities: { drops: ["ALL"], adds: ["DAC_READ_SEARCH"] } },
            "adds capabilities (DAC_READ_SEARCH)",
        ],
        ["no log rotation", { logOpts: {} }, "has no log rotation"],
        ["no restart policy", { restart: "no" }, "has no restart policy"],
        [
            "a port published on every address",
            { ports: [{ internal: 9877, external: 23001 }] },
            "publishes a port beyond the host's loopback",
        ],
        [
            "a port published on the public address",
            { ports: [{ internal: 9877, external: 23001, ip: "0.0.0.0" }] },
            "publishes a port beyond the host's loopback",
        ],
    ])("a tenant container with %s fails", (_, change, violation) => {
        expect(tenantContainerViolations(container({ ...goodTenant(), ...change })).join("; ")).toContain(
            violation,
        );
    });

    test("no container may be privileged or get the Docker socket", () => {
        expect(anyContainerViolations(container({ privileged: true }))).toEqual(["is privileged"]);
        expect(
            anyContainerViolations(container({ volumes: [{ hostPath: "/var/run/docker.sock" }] })),
        ).toEqual(["mounts the Docker socket"]);
        expect(
            anyContainerViolations(container({ mounts: [{ source: "/run/docker.sock", target: "/s" }] })),
        ).toEqual(["mounts the Docker socket"]);
    });

    test("a prod server must be protected; a dev one need not", () => {
        const server = (labels: Record<string, string>, protect: boolean) => ({
            type: "hcloud:index/server:Server",
            props: { labels, deleteProtection: protect, rebuildProtection: protect },
        });
        expect(statefulResourceViolations(server({ "zeptoclaw-env": "prod" }, true))).toEqual([]);
        expect(statefulResourceViolations(server({ "zeptoclaw-env": "prod" }, false))).toEqual([
            "is a prod server without delete protection",
            "is a prod server without rebuild protection",
        ]);
        expect(statefulResourceViolations(server({ "zeptoclaw-env": "staging" }, false))).toEqual([]);
    });

    test("a fleet's data Volume, IPv4 and Storage Box always have delete protection", () => {
        const volume = (deleteProtection: boolean) => ({
            type: "hcloud:index/volume:Volume",
            props: { labels: { "zeptoclaw-fleet": "true", "zeptoclaw-env": "dev" }, deleteProtection },
        });
        expect(statefulResourceViolations(volume(true))).toEqual([]);
        expect(statefulResourceViolations(volume(false))).toEqual([
            "holds tenant data and has no delete protection",
        ]);
    });
});

describe("guardrails, on what the program declares", () => {
    test.each([
        ["dev", {}],
        ["prod", prodStack],
    ])("the %s stack passes every guardrail", async (stack, config) => {
        const run = await runProgram({ stack, ...fleet(["shop-a", "shop-b"]), config });
        const violations = run.resources.flatMap((r) =>
            guardrails.flatMap((g) =>
                g.check({ type: r.type, props: r.inputs }).map((v) => `${r.name} ${v}`),
            ),
        );
        expect(violations).toEqual([]);
        // The rules must see the declared gateways: a rule that matches nothing passes anything.
        const gateways = run.resources.filter((r) => isTenantContainer({ type: r.type, props: r.inputs }));
        expect(gateways.map((r) => r.name).sort()).toEqual(["shop-a/gateway", "shop-b/gateway"]);
        for (const gateway of gateways) {
            const withoutMemory = { ...gateway.inputs, memory: undefined };
            expect(guardrails.flatMap((g) => g.check({ type: gateway.type, props: withoutMemory }))).toEqual([
                "has no memory limit",
            ]);
        }
    });

    test("an unprotected prod server is caught", async () => {
        const run = await runProgram({
            stack: "prod",
            ...fleet(["shop-a"]),
            config: { ...prodStack, protectHost: false },
        });
        const server = run.one("hcloud:index/server:Server", "fsn1-a/server");
        expect(statefulResourceViolations({ type: server.type, props: server.inputs })).toHaveLength(2);
    });
});
