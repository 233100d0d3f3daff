import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { runProgram } from "../support/runProgram";
import { runnableSecretsFor, runnableSettings, tenantYaml } from "../support/tenantFiles";
import { EngineAdapter, removeLabelled, testLabel, waitHealthy } from "./support/engineAdapter";
import { eventually, execIn } from "./support/engineHelpers";

// How a tenant container runs ZeptoClaw 0.9.2 (its stand-in): stops, orphans, MCP discovery,
// startup refusals. The first health probe runs after the 30 s interval the program declares.
jest.setTimeout(10 * 60_000);

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const runId = `runtime-${process.pid}-${Date.now()}`;
const adapter = new EngineAdapter(docker, runId);
const configRoot = fs.mkdtempSync(path.join(os.tmpdir(), "zc-runtime-"));
const tenants = ["rt-new", "rt-refused"];
/** The same tenant as rt-new, in a container with the settings before init and SIGINT. */
const oldContainer = `zc-rt-old-${process.pid}`;

beforeAll(async () => {
    const run = await runProgram({
        tenantFiles: Object.fromEntries(
            tenants.map((n) => [
                `${n}.yaml`,
                tenantYaml(n, { stacks: ["dev"], zeptoclaw: runnableSettings() }),
            ]),
        ),
        tenantSecrets: runnableSecretsFor(tenants),
        config: { configRoot, imageSource: "build", imageContext: "tests/fixtures/zeptoclaw-standin" },
    });
    await adapter.apply(run);

    // The container as it was declared before: no init (ZeptoClaw is PID 1), stopped by SIGTERM.
    const current = await docker.getContainer("zc-rt-new").inspect();
    const volume = `${oldContainer}-data`;
    await docker.createVolume({
        Name: volume,
        Labels: { [testLabel]: runId },
    });
    const { Init, Mounts, ...hostConfig } = current.HostConfig as Docker.HostConfig & { Init?: boolean };
    expect(Init).toBe(true);
    const healthcheck = current.Config.Healthcheck as { Test: string[] };
    // Its volume as the data owner leaves one, by the data owner's own settings.
    const owner = await docker.getContainer("zc-rt-new.data-owner").inspect();
    const prepare = await docker.createContainer({
        Image: owner.Image,
        Entrypoint: owner.Config.Entrypoint,
        Cmd: owner.Config.Cmd,
        User: owner.Config.User,
        Labels: { [testLabel]: runId },
        HostConfig: {
            ...owner.HostConfig,
            Mounts: [{ Type: "volume", Source: volume, Target: "/data" }],
        },
    });
    await prepare.start();
    expect((await prepare.wait()).StatusCode).toBe(0);
    const old = await docker.createContainer({
        name: oldContainer,
        Image: current.Image,
        Entrypoint: current.Config.Entrypoint,
        Cmd: current.Config.Cmd,
        User: current.Config.User,
        Env: current.Config.Env,
        Healthcheck: { ...healthcheck, Test: healthcheck.Test.map((t) => t.replace("/readyz", "/healthz")) },
        Labels: { [testLabel]: runId },
        HostConfig: {
            ...hostConfig,
            // No init: ZeptoClaw is PID 1.
            Init: false,
            NetworkMode: "none",
            RestartPolicy: { Name: "no" },
            Tmpfs: { "/tmp": hostConfig.Tmpfs?.["/tmp"] ?? "" },
            // Without the MCP shields: its data volume and its config.
            Mounts: (Mounts ?? [])
                .filter((m) => m.Source !== "/dev/null")
                .map((m) => (m.Target === "/data" ? { ...m, Source: volume } : m)),
        },
    });
    await old.start();
    await waitHealthy(old, 120_000);
});

afterAll(async () => {
    await removeLabelled(docker, runId);
    fs.rmSync(configRoot, { recursive: true, force: true });
});

async function zombies(container: string): Promise<string[]> {
    const ps = await execIn(docker, container, ["ps", "-eo", "stat=,ppid=,comm="]);
    return ps.output
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line.startsWith("Z"));
}

test("orphans are reaped: Docker's init is PID 1; without it, ZeptoClaw as PID 1 leaves zombies", async () => {
    const orphan = ["sh", "-c", "sleep 0.2 & exit 0"];
    for (const container of ["zc-rt-new", oldContainer]) {
        expect((await execIn(docker, container, orphan)).code).toBe(0);
    }
    await new Promise((r) => setTimeout(r, 2000));
    expect(await zombies("zc-rt-new")).toEqual([]);
    // The control: the same orphan in the container as it was, still unreaped.
    expect(await zombies(oldContainer)).toEqual([expect.stringMatching(/^Z\S*\s+1 sleep$/)]);
    const pid1 = await execIn(docker, "zc-rt-new", ["ps", "-o", "comm=", "-p", "1"]);
    expect(pid1.output.trim()).toBe("docker-init");
});

test("no MCP server can be declared from inside the tenant, so none is spawned at the next start", async () => {
    const uid = (await docker.getContainer("zc-rt-new").inspect()).Config.User.split(":")[0];
    const marker = "/data/workspace/mcp-server-ran";
    const servers = JSON.stringify({
        mcpServers: { evil: { command: "sh", args: ["-c", `id > ${marker}`] } },
    });
    const declare = [
        `mkdir -p /data/workspace && printf '%s' '${servers}' > /data/workspace/.mcp.json`,
        `mkdir -p /data/.mcp && printf '%s' '${servers}' > /data/.mcp/servers.json`,
    ];
    for (const container of ["zc-rt-new", oldContainer]) {
        for (const command of declare) {
            await execIn(docker, container, ["sh", "-c", command], `${uid}:${uid}`);
        }
        await docker.getContainer(container).restart();
        await waitHealthy(docker.getContainer(container), 120_000);
    }
    const declared = await execIn(docker, "zc-rt-new", [
        "sh",
        "-c",
        "cat /data/workspace/.mcp.json /data/.mcp/servers.json",
    ]);
    expect(declared.output).not.toContain("evil");
    expect((await execIn(docker, "zc-rt-new", ["test", "-e", marker])).code).not.toBe(0);
    // The control: without the shields, the stand-in spawns what the tenant declared, as 0.9.2 does.
    expect((await execIn(docker, oldContainer, ["cat", marker])).output).toContain(`uid=${uid}`);
});

test("a stop is clean and quick with SIGINT; SIGTERM is ignored by ZeptoClaw as PID 1 until SIGKILL", async () => {
    const stop = async (name: string) => {
        const started = Date.now();
        await docker.getContainer(name).stop({ t: 10 });
        const seconds = (Date.now() - started) / 1000;
        const { State } = await docker.getContainer(name).inspect();
        return { seconds, exitCode: State.ExitCode, oomKilled: State.OOMKilled };
    };
    const before = await stop(oldContainer);
    const after = await stop("zc-rt-new");
    console.log(
        `docker stop -t 10: without init and with SIGTERM ${before.seconds.toFixed(1)} s, exit ${before.exitCode}; ` +
            `with init and SIGINT ${after.seconds.toFixed(1)} s, exit ${after.exitCode}`,
    );
    // 137 = 128 + SIGKILL: Docker gave up after the timeout. 0: ZeptoClaw shut down by itself.
    expect(before).toMatchObject({ exitCode: 137, oomKilled: false });
    expect(after).toMatchObject({ exitCode: 0, oomKilled: false });
    await docker.getContainer("zc-rt-new").start();
});

test("a config 0.9.2 refuses stops the gateway with exit 1 and a message naming the rule", async () => {
    // Written on the host, as only a bug or an operator could: the program refuses these at preview.
    const file = path.join(configRoot, "rt-refused", "config.json");
    const valid = fs.readFileSync(file, "utf8");
    const refused: [string, object, RegExp][] = [
        [
            "a model that is not claude-* on the Anthropic provider",
            { ...JSON.parse(valid), agents: { defaults: { model: "anthropic/claude-sonnet-4" } } },
            /agents\.defaults\.model: model 'anthropic\/claude-sonnet-4' does not look like a Claude model[\s\S]*Model-provider mismatch/,
        ],
        [
            "Brave web search without its key",
            { ...JSON.parse(valid), tools: { web: { search: { provider: "brave", api_key: "" } } } },
            /Brave provider requires tools\.web\.search\.api_key/,
        ],
    ];
    const container = docker.getContainer("zc-rt-refused");
    for (const [rule, config, message] of refused) {
        await container.stop({ t: 10 });
        // In place: the bind mount holds the file's inode.
        fs.writeFileSync(file, JSON.stringify(config));
        const since = Math.floor(Date.now() / 1000);
        await container.start();
        await eventually(`the gateway exited 1 and said why (${rule})`, 60_000, async () => {
            const logs = (await container.logs({ stdout: true, stderr: true, since })).toString();
            return message.test(logs) && (await container.inspect()).State.ExitCode === 1;
        });
    }
    await container.stop({ t: 10 });
    fs.writeFileSync(file, valid);
    await container.start();
    await waitHealthy(container, 120_000);
});

test("the gateway refuses to run when cron/jobs.json cannot be written", async () => {
    const current = await docker.getContainer("zc-rt-new").inspect();
    const config = (current.Mounts ?? []).find((m) => m.Destination === "/data/.zeptoclaw/config.json");
    const uid = current.Config.User.split(":")[0];
    const probe = await docker.createContainer({
        Image: current.Image,
        Entrypoint: ["zeptoclaw"],
        Cmd: ["gateway"],
        User: `${uid}:${uid}`,
        Env: ["HOME=/home/tenant"],
        Labels: { [testLabel]: runId },
        HostConfig: {
            NetworkMode: "none",
            ReadonlyRootfs: true,
            Binds: [`${config?.Source}:/home/tenant/.zeptoclaw/config.json:ro`],
        },
    });
    await probe.start();
    const { StatusCode } = await probe.wait();
    const logs = (await probe.logs({ stdout: true, stderr: true })).toString();
    expect(StatusCode).toBe(1);
    expect(logs).toMatch(/cron store \/home\/tenant\/\.zeptoclaw\/cron\/jobs\.json: .*Read-only file system/);
});
