import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { renderWatchdogScript } from "../../lib/host/watchdog";
import { runProgram } from "../support/runProgram";
import { secretsFor, tenantYaml } from "../support/tenantFiles";
import { EngineAdapter, removeLabelled, waitHealthy } from "./support/engineAdapter";
import { eventually } from "./support/engineHelpers";

jest.setTimeout(10 * 60_000);

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const adapter = new EngineAdapter(docker, `healing-${process.pid}`);
const configRoot = fs.mkdtempSync(path.join(os.tmpdir(), "zc-healing-"));
const script = path.join(configRoot, "watchdog.sh");

function settings(model: string) {
    return {
        agents: { defaults: { model } },
        providers: { anthropic: { api_key: { secret: "anthropicApiKey" } } },
        channels: { telegram: { token: { secret: "telegramBotToken" } } },
    };
}

beforeAll(async () => {
    await removeLabelled(docker);
    fs.writeFileSync(script, renderWatchdogScript(), { mode: 0o755 });
});

afterAll(async () => {
    await adapter.removeEverything();
    fs.rmSync(configRoot, { recursive: true, force: true });
});

test("the host-side watchdog restarts a tenant that turned unhealthy within 2 minutes, and no other", async () => {
    const run = await runProgram({
        tenantFiles: {
            // Healthy at the first probe (30 s), unhealthy from 40 s on: hung, but still running.
            "heal-a.yaml": tenantYaml("heal-a", {
                stacks: ["dev"],
                zeptoclaw: settings("standin/unhealthy:40"),
            }),
            "heal-b.yaml": tenantYaml("heal-b", {
                stacks: ["dev"],
                zeptoclaw: settings("anthropic/claude-sonnet-4"),
            }),
        },
        tenantSecrets: secretsFor(["heal-a", "heal-b"]),
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
