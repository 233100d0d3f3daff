import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { renderWatchdogScript } from "../../lib/host/watchdog";
import { runProgram } from "../support/runProgram";
import { runnableSecretsFor, runnableSettings, tenantYaml } from "../support/tenantFiles";
import { EngineAdapter, removeLabelled, waitHealthy } from "./support/engineAdapter";
import { eventually, execIn } from "./support/engineHelpers";

jest.setTimeout(10 * 60_000);

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const runId = `healing-${process.pid}`;
const adapter = new EngineAdapter(docker, runId);
const configRoot = fs.mkdtempSync(path.join(os.tmpdir(), "zc-healing-"));
const script = path.join(configRoot, "watchdog.sh");

beforeAll(async () => {
    await removeLabelled(docker, runId);
    fs.writeFileSync(script, renderWatchdogScript(), { mode: 0o755 });
});

afterAll(async () => {
    await adapter.removeEverything();
    fs.rmSync(configRoot, { recursive: true, force: true });
});

/** The health server's answer on `path`, from inside the container. */
async function probe(container: string, path: string): Promise<{ status: number; body: any }> {
    const script =
        "import json, sys, urllib.request, urllib.error\n" +
        "try:\n    r = urllib.request.urlopen(sys.argv[1], timeout=5)\n" +
        "except urllib.error.HTTPError as e:\n    r = e\n" +
        "print(json.dumps({'status': r.status, 'body': json.loads(r.read())}))";
    const { output } = await execIn(docker, container, [
        "python3",
        "-c",
        script,
        `http://127.0.0.1:9090${path}`,
    ]);
    return JSON.parse(output);
}

test("the host-side watchdog restarts a tenant whose agent loop died within 2 minutes, and no other", async () => {
    const run = await runProgram({
        tenantFiles: {
            // Ready at the first probe (30 s); from 40 s on its agent loop is gone, while the
            // process and its liveness endpoint live on, as in ZeptoClaw 0.9.2.
            "heal-a.yaml": tenantYaml("heal-a", {
                stacks: ["dev"],
                zeptoclaw: runnableSettings("standin/agent-dies:40"),
            }),
            "heal-b.yaml": tenantYaml("heal-b", { stacks: ["dev"], zeptoclaw: runnableSettings() }),
        },
        tenantSecrets: runnableSecretsFor(["heal-a", "heal-b"]),
        config: { configRoot, imageSource: "build", imageContext: "tests/fixtures/zeptoclaw-standin" },
    });
    await adapter.apply(run);
    const startedBefore = (name: string) =>
        docker
            .getContainer(`zc-${name}`)
            .inspect()
            .then((i) => i.State.StartedAt);
    const aStarted = await startedBefore("heal-a");
    const bStarted = await startedBefore("heal-b");

    await eventually(
        "heal-a is unhealthy",
        300_000,
        async () => (await docker.getContainer("zc-heal-a").inspect()).State.Health?.Status === "unhealthy",
    );
    const unhealthyAt = Date.now();
    // Docker itself never restarts it: it is running, not exited.
    expect((await docker.getContainer("zc-heal-a").inspect()).State.StartedAt).toBe(aStarted);
    // Liveness says "degraded" with 200: only readiness tells that the agent is gone.
    expect(await probe("zc-heal-a", "/healthz")).toMatchObject({ status: 200, body: { status: "degraded" } });
    expect(await probe("zc-heal-a", "/readyz")).toEqual({ status: 503, body: { status: "not_ready" } });

    // What the systemd timer does: run the script every 30 s.
    let restartedAt = 0;
    while (restartedAt === 0 && Date.now() - unhealthyAt < 150_000) {
        await new Promise((r) => setTimeout(r, 30_000));
        execFileSync("sh", [script]);
        if ((await startedBefore("heal-a")) !== aStarted) {
            restartedAt = Date.now();
        }
    }
    expect(restartedAt).toBeGreaterThan(0);
    expect(restartedAt - unhealthyAt).toBeLessThanOrEqual(120_000);
    await waitHealthy(docker.getContainer("zc-heal-a"), 120_000);
    console.log(
        `heal-a: unhealthy ${((unhealthyAt - Date.parse(aStarted)) / 1000).toFixed(0)} s after its start; ` +
            `restarted ${((restartedAt - unhealthyAt) / 1000).toFixed(0)} s after it turned unhealthy; ` +
            `healthy again ${((Date.now() - restartedAt) / 1000).toFixed(0)} s after the restart`,
    );
    expect((await docker.getContainer("zc-heal-a").inspect()).State.Running).toBe(true);
    expect(await startedBefore("heal-b")).toBe(bStarted);
});
