import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { ProgramRun, runProgram } from "../support/runProgram";
import { runnableSecretsFor, runnableSettings, tenantYaml } from "../support/tenantFiles";
import { EngineAdapter, removeLabelled, testLabel } from "./support/engineAdapter";
import { canConnect, containerEvents, eventually, execIn } from "./support/engineHelpers";
import {
    pidsCgroupOf,
    pidsControllerRefusedForkIn,
    realizeTenantSlices,
    removeTenantSlices,
    sliceFile,
} from "./support/tenantSlices";
import { tenantCgroupParent, tenantCgroupPath } from "../../lib/docker/tenantSlice";
import { defaultTenantResources } from "../../lib/tenants/tenantSchema";

// Real containers: the first health probe runs after the 30 s interval the program declares.
jest.setTimeout(15 * 60_000);

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
/** Unix time before anything of this suite ran, for the engine events it caused. */
const suiteStart = Math.floor(Date.now() / 1000);
const runId = `run-${process.pid}-${Date.now()}`;
const adapter = new EngineAdapter(docker, runId);
const configRoot = fs.mkdtempSync(path.join(os.tmpdir(), "zc-engine-"));

const normal = ["e2e-a", "e2e-b", "e2e-c", "e2e-d", "e2e-e"];
const secrets = runnableSecretsFor([...normal, "e2e-leaky", "e2e-forky"]);

const settings = runnableSettings;

/** Each tenant's process limit, as its file declares it (the forking tenant's is lowered). */
const pidsLimits: Record<string, number> = {
    ...Object.fromEntries([...normal, "e2e-leaky"].map((n) => [n, defaultTenantResources.pids])),
    "e2e-forky": 64,
};

/** The tenant files of the suite's fleet; `changes` replaces some tenants' files, `omit` drops some. */
function tenantFiles(changes: Record<string, string> = {}, omit: string[] = []): Record<string, string> {
    const files: Record<string, string> = {};
    for (const name of normal) {
        files[`${name}.yaml`] = tenantYaml(name, { stacks: ["dev"], zeptoclaw: settings() });
    }
    // Healthy for 45 s, so the deployment succeeds, then misbehaving in a loop.
    files["e2e-leaky.yaml"] = tenantYaml("e2e-leaky", {
        stacks: ["dev"],
        zeptoclaw: settings("standin/leak-memory:45"),
        resources: { memoryMb: 64 },
    });
    files["e2e-forky.yaml"] = tenantYaml("e2e-forky", {
        stacks: ["dev"],
        zeptoclaw: settings("standin/fork-bomb:45"),
        resources: { pids: pidsLimits["e2e-forky"] },
    });
    Object.assign(files, changes);
    for (const name of omit) {
        delete files[`${name}.yaml`];
    }
    return files;
}

function program(files: Record<string, string>): Promise<ProgramRun> {
    return runProgram({
        stack: "dev",
        tenantFiles: files,
        tenantSecrets: secrets,
        config: {
            environment: "engine-test",
            hostMemoryMb: 16384,
            configRoot,
            imageSource: "build",
            imageContext: "tests/fixtures/zeptoclaw-standin",
            // This machine's engine (cgroup v1, no systemd); realizeTenantSlices stands in for
            // the systemd of a fleet host.
            cgroupDriver: "cgroupfs",
        },
    });
}

async function inspect(tenant: string) {
    return docker.getContainer(`zc-${tenant}`).inspect();
}

async function uidOf(tenant: string): Promise<string> {
    const info = await inspect(tenant);
    return info.Config.User.split(":")[0];
}

/** The tenant's slice limit, and whether its container's main process is in that slice. */
async function sliceLimitOf(name: string): Promise<{ name: string; pidsMax: string; inSlice: boolean }> {
    const info = await inspect(name);
    expect(info.HostConfig.CgroupParent).toBe(tenantCgroupParent(name, "cgroupfs"));
    return {
        name,
        pidsMax: sliceFile(name, "pids.max"),
        inSlice: pidsCgroupOf(info.State.Pid) === `${tenantCgroupPath(name)}/${info.Id}`,
    };
}

/** Whether the kernel's pids controller refused a fork in the tenant's container. */
async function pidsControllerRefusedFork(name: string): Promise<boolean> {
    return pidsControllerRefusedForkIn(`${tenantCgroupPath(name)}/${(await inspect(name)).Id}`);
}

async function loadedConfig(tenant: string): Promise<any> {
    const { code, output } = await execIn(docker, `zc-${tenant}`, [
        "wget",
        "-qO-",
        "http://127.0.0.1:9090/standin/config",
    ]);
    expect(code).toBe(0);
    return JSON.parse(output);
}

/** The other tenants are healthy and were never restarted. */
async function expectOthersUntouched(): Promise<void> {
    for (const name of normal) {
        const info = await inspect(name);
        const seen = { name, health: info.State.Health?.Status, restarts: info.RestartCount };
        expect(seen).toEqual({ name, health: "healthy", restarts: 0 });
    }
}

beforeAll(async () => {
    await docker.ping();
    await removeLabelled(docker);
    removeTenantSlices();
    realizeTenantSlices(Object.entries(pidsLimits).map(([name, pids]) => ({ name, resources: { pids } })));
    await adapter.apply(await program(tenantFiles()));
});

afterAll(async () => {
    await removeLabelled(docker);
    removeTenantSlices();
    fs.rmSync(configRoot, { recursive: true, force: true });
});

describe("the declared fleet on a real engine", () => {
    test("every tenant becomes healthy and runs its own tenant's config", async () => {
        for (const name of normal) {
            const info = await inspect(name);
            expect({ name, health: info.State.Health?.Status }).toEqual({ name, health: "healthy" });
            const config = await loadedConfig(name);
            expect(config.channels.telegram.token).toBe(secrets[name].telegramBotToken);
            expect(config.providers.anthropic.api_key).toBe(secrets[name].anthropicApiKey);
        }
    });

    test("every process of a tenant, its PID 1 included, is the tenant's own uid, without capabilities, and can gain none", async () => {
        const uids = new Set<string>();
        for (const name of normal) {
            // PID 1 is Docker's init, started as the tenant's uid; the agent is its only
            // child. A process started by `docker exec` shows parent 0, so it never matches.
            const { output } = await execIn(docker, `zc-${name}`, [
                "sh",
                "-c",
                "for s in /proc/[0-9]*/status; do grep -Eq '^(Pid:[[:space:]]*1|PPid:[[:space:]]*1)$' \"$s\" && grep -E '^(Name|Uid|Cap[A-Za-z]+|NoNewPrivs)' \"$s\"; done",
            ]);
            const uid = await uidOf(name);
            // The init and the agent: the stand-in runs under python3's name, ZeptoClaw its own.
            const names = output.match(/^Name:\s+\S+/gm)?.map((l) => l.split(/\s+/)[1]);
            expect(names).toHaveLength(2);
            expect(names).toContain("docker-init");
            expect(
                output.match(new RegExp(`^Uid:\\s+${uid}\\s+${uid}\\s+${uid}\\s+${uid}$`, "gm")),
            ).toHaveLength(2);
            // Bounding and inheritable empty: no execve, file capability or setuid binary can
            // give a capability back.
            for (const set of ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"]) {
                expect({ name, set, values: output.match(new RegExp(`^${set}:\\s+(\\S+)$`, "gm")) }).toEqual({
                    name,
                    set,
                    values: [`${set}:\t0000000000000000`, `${set}:\t0000000000000000`],
                });
            }
            expect(output.match(/^NoNewPrivs:\s+1$/gm)).toHaveLength(2);
            expect(uid).not.toBe("0");
            uids.add(uid);
        }
        expect(uids.size).toBe(normal.length);
    });

    test("each tenant runs in its own slice, whose pids.max is the tenant's process limit", async () => {
        for (const name of Object.keys(pidsLimits)) {
            expect(await sliceLimitOf(name)).toEqual({
                name,
                pidsMax: String(pidsLimits[name]),
                inSlice: true,
            });
        }
    });

    test("no AppArmor profile is named where the host runs no AppArmor; Docker's own choice stands", async () => {
        // The dev stack's host (tenantHostRuntime) is not assumed to run AppArmor, so the program
        // names no profile; Docker then confines the container with docker-default if and only
        // if the kernel runs AppArmor (moby v20.10.24, daemon/oci_linux.go WithApparmor).
        const enabled = "/sys/module/apparmor/parameters/enabled";
        const hostRunsAppArmor = fs.existsSync(enabled) && fs.readFileSync(enabled, "utf8").trim() === "Y";
        for (const name of normal) {
            const info = await inspect(name);
            expect({ name, opts: info.HostConfig.SecurityOpt, profile: info.AppArmorProfile }).toEqual({
                name,
                opts: ["no-new-privileges:true"],
                profile: hostRunsAppArmor ? "docker-default" : "",
            });
        }
    });

    test("from inside a tenant the config cannot be written, deleted, renamed over, replaced or chmod-ed", async () => {
        const name = "e2e-a";
        const uid = await uidOf(name);
        const before = await execIn(docker, `zc-${name}`, ["sha256sum", "/data/.zeptoclaw/config.json"]);
        // What the agent can try, as the tenant's uid. The read-only mount refuses the first
        // five even to root in the container (which the agent cannot become: no new privileges).
        const attacks: [string, string, boolean][] = [
            ["write", "echo '{}' > /data/.zeptoclaw/config.json", true],
            ["delete", "rm -f /data/.zeptoclaw/config.json", true],
            [
                "rename over",
                "echo '{}' > /tmp/evil.json && mv -f /tmp/evil.json /data/.zeptoclaw/config.json",
                true,
            ],
            ["chmod", "chmod 0666 /data/.zeptoclaw/config.json", true],
            ["chown", "chown $(id -u) /data/.zeptoclaw/config.json", true],
            ["move its folder away to put another in place", "mv /data/.zeptoclaw /data/elsewhere", false],
        ];
        for (const [attack, command, evenAsRoot] of attacks) {
            for (const user of evenAsRoot ? [`${uid}:${uid}`, "0:0"] : [`${uid}:${uid}`]) {
                const result = await execIn(docker, `zc-${name}`, ["sh", "-c", command], user);
                expect({ attack, user, refused: result.code !== 0 }).toEqual({ attack, user, refused: true });
            }
        }
        const after = await execIn(docker, `zc-${name}`, ["sha256sum", "/data/.zeptoclaw/config.json"]);
        expect(after.output).toBe(before.output);
        expect((await loadedConfig(name)).channels.telegram.token).toBe(secrets[name].telegramBotToken);
    });

    test("tenant A cannot open a TCP connection to tenant B", async () => {
        const b = await inspect("e2e-b");
        const ipB = b.NetworkSettings.Networks["zc-tenants"].IPAddress;
        expect(Object.keys(b.NetworkSettings.Networks)).toEqual(["zc-tenants"]);
        // ZeptoClaw 0.9.2 listens on no address but loopback (health on 127.0.0.1:9090): a
        // listener of the tenant's own, as a tool could start, is what A must not reach.
        const listener = await docker.getContainer("zc-e2e-b").exec({
            Cmd: [
                "python3",
                "-c",
                "import http.server as h; h.HTTPServer(('0.0.0.0', 8080), h.BaseHTTPRequestHandler).serve_forever()",
            ],
            User: `${await uidOf("e2e-b")}`,
        });
        // Docker 26 keeps a detached exec's start response open after the process started (20.10
        // closed it): close it, or the open socket keeps jest from exiting.
        (await listener.start({ Detach: true })).destroy();
        await eventually("B listens on 8080", 10_000, () => canConnect(ipB, 8080));
        const probe = [
            "python3",
            "-c",
            "import socket,sys; socket.create_connection((sys.argv[1], 8080), timeout=3)",
            ipB,
        ];
        expect((await execIn(docker, "zc-e2e-a", probe)).code).not.toBe(0);
        // Controls: B listens (the host reaches it), and B reaches itself on that address.
        expect(await canConnect(ipB, 8080)).toBe(true);
        expect((await execIn(docker, "zc-e2e-b", probe)).code).toBe(0);
    });

    test("a tenant over its memory limit is killed and restarted; the others stay healthy", async () => {
        await eventually(
            "the leaky tenant was OOM-killed and restarted",
            180_000,
            async () => (await inspect("e2e-leaky")).RestartCount >= 1,
        );
        // The kernel's OOM killer, inside the tenant's own memory cgroup, is what stopped it. The
        // engine's oom event says so on every Docker; State.OOMKilled does not outlive the restart
        // on Docker 26 (it is reset when the container runs again).
        expect(await containerEvents(docker, "zc-e2e-leaky", suiteStart)).toContain("oom");
        await expectOthersUntouched();
    });

    test("a tenant spawning processes without bound is stopped by the kernel's pids controller at its slice's limit and restarted; the others stay healthy", async () => {
        await eventually(
            "the forking tenant was restarted",
            180_000,
            async () => (await inspect("e2e-forky")).RestartCount >= 1,
        );
        // The tenant's own account of its end: a fork the kernel refused (EAGAIN) before it held
        // as many processes as its file allows.
        const logs = String(await docker.getContainer("zc-e2e-forky").logs({ stdout: true, stderr: true }));
        const refusals = logs
            .split("\n")
            .map((line) => /\{"timestamp".*\}/.exec(line)?.[0])
            .filter((json): json is string => json !== undefined)
            .map((json) => JSON.parse(json) as { fields: Record<string, unknown> })
            .filter((event) => event.fields.message === "fork failed");
        expect(refusals.length).toBeGreaterThanOrEqual(1);
        for (const { fields } of refusals) {
            expect(fields.error).toMatch(/^\[Errno 11\] /);
            expect(fields.children).toBeLessThan(pidsLimits["e2e-forky"]);
        }
        // The kernel's pids controller refused the forks, at the slice's limit: it counts the
        // container's init too, and the uid's RLIMIT_NPROC is one above it (tenantContainers.ts).
        expect(await pidsControllerRefusedFork("e2e-forky")).toBe(true);
        for (const name of normal) {
            expect({ name, refused: await pidsControllerRefusedFork(name) }).toEqual({
                name,
                refused: false,
            });
        }
        await expectOthersUntouched();
        for (const name of normal) {
            // Each tenant's own uid keeps its process count apart from the forking tenant's.
            expect(
                (
                    await execIn(
                        docker,
                        `zc-${name}`,
                        ["sh", "-c", "sleep 0.1 & wait"],
                        `${await uidOf(name)}:${await uidOf(name)}`,
                    )
                ).code,
            ).toBe(0);
        }
    });

    test("a changed config reaches that tenant and restarts no other", async () => {
        const before = new Map<string, string>();
        for (const name of normal) {
            const info = await inspect(name);
            before.set(name, `${info.Id} ${info.State.StartedAt}`);
        }
        const changed = await adapter.apply(
            await program(
                tenantFiles({
                    "e2e-b.yaml": tenantYaml("e2e-b", {
                        stacks: ["dev"],
                        zeptoclaw: settings("claude-opus-4"),
                    }),
                }),
            ),
        );
        expect(changed).toEqual(["e2e-b/gateway", "local/configs/writer"]);
        expect((await loadedConfig("e2e-b")).agents.defaults.model).toBe("claude-opus-4");
        // The new container is in the same slice, under the same limit.
        expect(await sliceLimitOf("e2e-b")).toEqual({ name: "e2e-b", pidsMax: "256", inSlice: true });
        for (const name of normal.filter((n) => n !== "e2e-b")) {
            const info = await inspect(name);
            expect(`${info.Id} ${info.State.StartedAt}`).toBe(before.get(name));
        }
    });

    test("data under /data survives the container's removal and re-creation, and the tenant's removal from the list", async () => {
        const uid = await uidOf("e2e-c");
        const write = await execIn(
            docker,
            "zc-e2e-c",
            ["sh", "-c", "mkdir -p /data/workspace && echo kept-across-containers > /data/workspace/note"],
            `${uid}:${uid}`,
        );
        expect(write.code).toBe(0);
        const files = tenantFiles({
            "e2e-b.yaml": tenantYaml("e2e-b", {
                stacks: ["dev"],
                zeptoclaw: settings("claude-opus-4"),
            }),
        });

        await adapter.apply(await program(tenantFiles({ ...files }, ["e2e-c"])));
        await expect(docker.getContainer("zc-e2e-c").inspect()).rejects.toThrow();
        expect((await docker.getVolume("e2e-c-data").inspect()).Name).toBe("e2e-c-data");
        // Its config file (and so its keys) left the host with it.
        expect(fs.existsSync(path.join(configRoot, "e2e-c"))).toBe(false);

        await adapter.apply(await program(files));
        const read = await execIn(docker, "zc-e2e-c", ["cat", "/data/workspace/note"], `${uid}:${uid}`);
        expect(read.output.trim()).toBe("kept-across-containers");
        expect((await inspect("e2e-c")).State.Health?.Status).toBe("healthy");
    });

    test("negative control: the seed's layout fails with the stand-in, as it does with ZeptoClaw", async () => {
        const seedConfig = path.join(configRoot, "seed-config.json");
        fs.writeFileSync(seedConfig, JSON.stringify({ channels: {} }));
        const volume = `seed-${process.pid}-data`;
        await docker.createVolume({ Name: volume, Labels: { [testLabel]: runId } });
        const image = (await inspect("e2e-a")).Image;
        const container = await docker.createContainer({
            Image: image,
            Cmd: ["zeptoclaw", "gateway"],
            Labels: { [testLabel]: runId },
            HostConfig: {
                Mounts: [
                    { Type: "volume", Source: volume, Target: "/data" },
                    { Type: "bind", Source: seedConfig, Target: "/data/config.json", ReadOnly: true },
                ],
            },
        });
        await container.start();
        const { StatusCode } = await container.wait();
        const logs = String(await container.logs({ stdout: true, stderr: true }));
        expect(StatusCode).toBe(1);
        expect(logs).toMatch(/chown: changing ownership of '\/data\/config\.json': Read-only file system/);
    });
});
