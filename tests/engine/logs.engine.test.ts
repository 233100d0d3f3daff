import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { runProgram } from "../support/runProgram";
import { runnableSecretsFor, runnableSettings, tenantYaml } from "../support/tenantFiles";
import { EngineAdapter, removeLabelled } from "./support/engineAdapter";
import { operatorProject } from "./support/operatorProject";

// A real container: it turns healthy after the first probe, 30 s after its start.
jest.setTimeout(5 * 60_000);

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const adapter = new EngineAdapter(docker, `logs-${process.pid}`);
const tenant = "logs-a";
let configRoot = "";
let workspace = "";
let project: ReturnType<typeof operatorProject>;

/** A readable event line: time, level, target, message (as tracing's compact format orders them). */
const readableEvent = /^\d{4}-\d{2}-\d{2}T\S+Z +(TRACE|DEBUG|INFO|WARN|ERROR) zeptoclaw::\S+: /;

beforeAll(async () => {
    await removeLabelled(docker);
    configRoot = fs.mkdtempSync(path.join(os.tmpdir(), "zc-logs-config-"));
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), "zc-logs-ws-"));
    const file = tenantYaml(tenant, { stacks: ["dev"], zeptoclaw: runnableSettings() });
    const run = await runProgram({
        stack: "dev",
        tenantFiles: { [`${tenant}.yaml`]: file },
        tenantSecrets: runnableSecretsFor([tenant]),
        config: { configRoot, imageSource: "build", imageContext: "tests/fixtures/zeptoclaw-standin" },
    });
    await adapter.apply(run);
    project = operatorProject(workspace, { [`${tenant}.yaml`]: file });
});

afterAll(async () => {
    await adapter.removeEverything();
    fs.rmSync(configRoot, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
});

test("npm run logs shows the tenant's JSON events as readable lines, over the stack's connection", () => {
    const result = project.run("logs.ts", ["-s", "dev", tenant]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines.filter((l) => l.startsWith("{"))).toEqual([]);
    expect(lines.find((l) => l.includes("Health endpoints available"))).toMatch(
        new RegExp(`${readableEvent.source}Health endpoints available at /healthz and /readyz port=9090$`),
    );
    expect(lines.find((l) => l.includes("Cron service started"))).toMatch(
        / INFO zeptoclaw::cron: Cron service started$/,
    );
});

test("--json keeps the events as ZeptoClaw wrote them; --since leaves out what came before", async () => {
    const json = project.run("logs.ts", ["-s", "dev", tenant, "--json"]);
    expect(json.status).toBe(0);
    const events = json.stdout
        .trimEnd()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as { fields: { message: string } });
    expect(events.map((e) => e.fields.message)).toContain("Cron service started");

    // The tenant is healthy, so its startup events were written before now.
    const afterStartup = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 1000));
    const since = project.run("logs.ts", ["-s", "dev", tenant, "--since", afterStartup]);
    expect(since.status).toBe(0);
    expect(since.stdout).not.toContain("Cron service started");
});

test("-f follows the log: what the tenant writes later arrives, and the command ends with the container", async () => {
    const follower = project.start("logs.ts", ["-s", "dev", tenant, "-f"]);
    let out = "";
    follower.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    const ended = new Promise<number | null>((resolve) => follower.on("close", resolve));
    const deadline = Date.now() + 60_000;
    while (!out.includes("Cron service started") && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
    }
    expect(out).not.toContain("Shutting down");
    // ZeptoClaw's stop signal; it prints its goodbye only now, after the command started reading.
    await docker.getContainer(`zc-${tenant}`).stop({ t: 10 });
    expect(await ended).toBe(0);
    expect(out).toContain("Shutting down...");
});

test("a tenant without a container on the stack's engine is named, with where to look", () => {
    const result = project.run("logs.ts", ["-s", "dev", "nobody"]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
        /^logs: no container zc-nobody on the engine of stack "dev" \(unix:\/\/\/var\/run\/docker.sock\): .*; npm run status -- -s dev lists its tenants\n$/,
    );
});
