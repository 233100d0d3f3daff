import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { AlertThresholds, renderAlertsEnv, renderAlertsScript } from "../../lib/host/alerts";
import { backupRecordFile } from "../../lib/host/backup";
import { derivedTenantUid } from "../../lib/tenants/tenantUid";
import {
    AlertReceiver,
    Received,
    runAlerts,
    telegramTexts,
    webhookEvents,
    webhookEventsOf,
} from "../support/alertReceiver";
import { runProgram } from "../support/runProgram";
import { runnableSecretsFor, runnableSettings, tenantYaml } from "../support/tenantFiles";
import { EngineAdapter, removeLabelled } from "./support/engineAdapter";
import { eventually } from "./support/engineHelpers";

/*
 * The host's alert script on this machine, against the engine, telling a receiver on loopback
 * (standing in for the operator's webhook and for the Telegram Bot API). Each condition is raised
 * once, not told again at the next run, and recovered once. The disk quota report is the one
 * stand-in: this machine kind's kernel has no XFS quotas (see storageQuota.engine.test.ts), so
 * xfs_quota is a script on PATH that prints a report in the columns the quota script reads back
 * (lib/host/tenantQuota.ts), checked there against the real one in a virtual machine.
 */

jest.setTimeout(10 * 60_000);

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const runId = `alerts-${process.pid}`;
const adapter = new EngineAdapter(docker, runId);
const work = fs.mkdtempSync(path.join(os.tmpdir(), "zc-alerts-"));
const configRoot = path.join(work, "config");
const bin = path.join(work, "bin");
const script = path.join(work, "alerts.sh");
const envFile = path.join(work, "alerts.env");
const quotaReport = path.join(work, "quota-report");
const receiver = new AlertReceiver();
let base = "";
/** Each test's own incidents: what one test raised is not open in the next. */
let stateDir = "";

/** Its agent loop ends 35 s after start: ready at the first probe, unhealthy three probes later. */
const sick = "al-sick";
/** Runs normally until its config is made to exit, then restarts in a loop. */
const loop = "al-loop";
const calm = "al-calm";
const restartWindowSeconds = 20;

beforeAll(async () => {
    await removeLabelled(docker, runId);
    base = await receiver.start();
    fs.mkdirSync(configRoot);
    fs.mkdirSync(bin);
    fs.writeFileSync(
        path.join(bin, "xfs_quota"),
        `#!/bin/sh\n[ "$*" = "-x -c report -u -n -N -b /var/lib/docker/volumes" ] || exit 2\ncat ${quotaReport}\n`,
        { mode: 0o755 },
    );
    fs.writeFileSync(quotaReport, "");
    fs.writeFileSync(script, renderAlertsScript(), { mode: 0o755 });
    const run = await runProgram({
        tenantFiles: {
            [`${sick}.yaml`]: tenantYaml(sick, {
                stacks: ["dev"],
                zeptoclaw: runnableSettings("standin/agent-dies:35"),
            }),
            [`${loop}.yaml`]: tenantYaml(loop, {
                stacks: ["dev"],
                zeptoclaw: runnableSettings("standin/exit:3600"),
            }),
            [`${calm}.yaml`]: tenantYaml(calm, { stacks: ["dev"], zeptoclaw: runnableSettings() }),
        },
        tenantSecrets: runnableSecretsFor([sick, loop, calm]),
        config: { configRoot, imageSource: "build", imageContext: "tests/fixtures/zeptoclaw-standin" },
    });
    await adapter.apply(run);
});

beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(work, "state-"));
    configure();
    receiver.take();
});

afterAll(async () => {
    await adapter.removeEverything();
    await receiver.stop();
    fs.rmSync(work, { recursive: true, force: true });
});

/** The host's settings file, with these thresholds; the channels point at the receiver. */
function configure(thresholds: Partial<AlertThresholds> = {}): void {
    fs.writeFileSync(
        envFile,
        renderAlertsEnv({
            hostName: "engine",
            channels: {
                webhookUrl: `${base}/hook`,
                telegram: { botToken: "123456:engine-test", chatId: "-100" },
            },
            thresholds: {
                quotaPercent: 90,
                freeMemoryPercent: 0,
                freeDiskPercent: 0,
                restarts: 3,
                backupMaxAgeHours: 26,
                ...thresholds,
            },
            tenants: [sick, loop, calm].map((name) => ({ name, uid: derivedTenantUid(name) })),
            paths: { stateDir },
            timing: { restartWindowSeconds, clearAfterSeconds: 0 },
        }),
    );
}

/** One run of the script, as the timer starts it; what each channel was told about `keys`. */
async function check(...keys: string[]): Promise<{ webhook: string[]; telegram: string[] }> {
    const run = await runAlerts(script, {
        ZEPTOCLAW_ALERTS_ENV: envFile,
        ZEPTOCLAW_ALERTS_TELEGRAM_API: `${base}/telegram`,
        PATH: `${bin}:${process.env.PATH}`,
    });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    const requests: Received[] = receiver.take();
    // Every check ran: none could not.
    expect(webhookEvents(requests).filter((e) => e.includes(" unreadable-"))).toEqual([]);
    // A Telegram line is an event's text: the events' keys tell which lines are about `keys`.
    const texts = new Set(
        webhookEventsOf(requests)
            .filter((e) => keys.includes(e.key))
            .map((e) => `${e.state === "raised" ? "ALERT" : "RECOVERED"}: ${e.text}`),
    );
    return {
        webhook: webhookEvents(requests).filter((e) => keys.includes(e.split(" ")[1])),
        telegram: telegramTexts(requests).flatMap((t) => t.split("\n").filter((line) => texts.has(line))),
    };
}

const inspect = (tenant: string) => docker.getContainer(`zc-${tenant}`).inspect();

test("a tenant restarting in a loop is raised once and recovered once its restarts stop", async () => {
    const configFile = path.join(configRoot, loop, "config.json");
    const original = fs.readFileSync(configFile, "utf8");
    // The first sample of its restart count.
    expect(await check(`restarting-${loop}`)).toEqual({ webhook: [], telegram: [] });
    const before = (await inspect(loop)).RestartCount;
    // In place, as the bind mount sees it: the stand-in reloads it, exits a second later, and
    // exits a second after each restart.
    const config = JSON.parse(original);
    config.agents.defaults.model = "standin/exit";
    fs.writeFileSync(configFile, JSON.stringify(config));
    await eventually(
        "Docker restarted it three times",
        60_000,
        async () => (await inspect(loop)).RestartCount >= before + 3,
    );

    const raised = await check(`restarting-${loop}`);
    expect(raised.webhook).toEqual([`raised restarting-${loop}`]);
    expect(raised.telegram).toEqual([
        expect.stringMatching(new RegExp(`^ALERT: tenant ${loop} restarted \\d+ times in 20 s`)),
    ]);
    expect(await check(`restarting-${loop}`)).toEqual({ webhook: [], telegram: [] });

    fs.writeFileSync(configFile, original);
    // Longer than a looping start lives (it exits a second after it starts).
    await eventually("it runs again and stays up", 60_000, async () => {
        const state = (await inspect(loop)).State;
        return state.Running && Date.now() - Date.parse(state.StartedAt) > 5_000;
    });
    const settled = (await inspect(loop)).RestartCount;
    await new Promise((r) => setTimeout(r, (restartWindowSeconds + 2) * 1000));
    expect((await inspect(loop)).RestartCount).toBe(settled);
    const recovered = await check(`restarting-${loop}`);
    expect(recovered.webhook).toEqual([`recovered restarting-${loop}`]);
    expect(recovered.telegram).toEqual([
        expect.stringMatching(new RegExp(`^RECOVERED: tenant ${loop} restarted`)),
    ]);
    expect(await check(`restarting-${loop}`)).toEqual({ webhook: [], telegram: [] });
});

test("a tenant whose last backup is older than allowed is raised once and recovered by a new backup", async () => {
    const volume = await docker.getVolume(`${calm}-data`).inspect();
    const record = path.join(volume.Mountpoint, backupRecordFile);
    // What the backup script writes, as root, two days ago.
    fs.writeFileSync(record, '{"time":"2026-11-30T03:00:00Z","snapshot":"0123abcd","bytes":1}\n', {
        mode: 0o644,
    });
    const twoDaysAgo = new Date(Date.now() - 48 * 3600 * 1000);
    fs.utimesSync(record, twoDaysAgo, twoDaysAgo);

    const raised = await check(`backup-${calm}`);
    expect(raised.webhook).toEqual([`raised backup-${calm}`]);
    expect(raised.telegram).toEqual([
        `ALERT: tenant ${calm}: last backed up 48 h ago, over the 26 h allowed (systemctl status zeptoclaw-fleet-backup.service)`,
    ]);
    expect(await check(`backup-${calm}`)).toEqual({ webhook: [], telegram: [] });

    // A record the tenant could have written (not root's) counts for nothing: the age is its
    // volume's, a few minutes.
    fs.chownSync(record, derivedTenantUid(calm), derivedTenantUid(calm));
    expect((await check(`backup-${calm}`)).webhook).toEqual([`recovered backup-${calm}`]);
    fs.chownSync(record, 0, 0);
    expect((await check(`backup-${calm}`)).webhook).toEqual([`raised backup-${calm}`]);

    const now = new Date();
    fs.utimesSync(record, now, now);
    const recovered = await check(`backup-${calm}`);
    expect(recovered.webhook).toEqual([`recovered backup-${calm}`]);
    expect(recovered.telegram).toEqual([
        expect.stringMatching(new RegExp(`^RECOVERED: tenant ${calm}: last backed up 48 h ago`)),
    ]);
    expect(await check(`backup-${calm}`)).toEqual({ webhook: [], telegram: [] });
});

test("a tenant past 90 % of its disk limit is raised once and recovered below it", async () => {
    const uid = derivedTenantUid(calm);
    // KiB, as xfs_quota reports: 58 000 of 64 MiB is 88 %, 60 000 is 91 %.
    fs.writeFileSync(quotaReport, `#0 2048 0 0 00 [--------]\n#${uid} 58000 0 65536 00 [--------]\n`);
    expect(await check(`quota-${calm}`)).toEqual({ webhook: [], telegram: [] });
    fs.writeFileSync(quotaReport, `#0 2048 0 0 00 [--------]\n#${uid} 60000 0 65536 00 [--------]\n`);
    const raised = await check(`quota-${calm}`);
    expect(raised).toEqual({
        webhook: [`raised quota-${calm}`],
        telegram: [`ALERT: tenant ${calm} uses 91 % of its disk limit (58 of 64 MiB)`],
    });
    expect(await check(`quota-${calm}`)).toEqual({ webhook: [], telegram: [] });
    fs.writeFileSync(quotaReport, `#${uid} 1000 0 65536 00 [--------]\n`);
    expect((await check(`quota-${calm}`)).webhook).toEqual([`recovered quota-${calm}`]);
    expect(await check(`quota-${calm}`)).toEqual({ webhook: [], telegram: [] });
});

test("host memory and disk below their thresholds are raised once and recovered once", async () => {
    // No machine has 100 % of its memory available or its disk free.
    configure({ freeMemoryPercent: 100, freeDiskPercent: 100 });
    const raised = await check("memory", "disk-root");
    expect(raised.webhook.sort()).toEqual(["raised disk-root", "raised memory"]);
    expect(raised.telegram.sort()).toEqual([
        expect.stringMatching(/^ALERT: host memory is low: \d+ % available, below 100 %/),
        expect.stringMatching(/^ALERT: root file system \(\/\) is low on space: \d+ % free, below 100 %$/),
    ]);
    expect(await check("memory", "disk-root")).toEqual({ webhook: [], telegram: [] });
    configure();
    expect((await check("memory", "disk-root")).webhook.sort()).toEqual([
        "recovered disk-root",
        "recovered memory",
    ]);
    expect(await check("memory", "disk-root")).toEqual({ webhook: [], telegram: [] });
});

test("an unhealthy tenant is raised once and recovered once it is restarted", async () => {
    await eventually(
        "al-sick turns unhealthy",
        300_000,
        async () => (await inspect(sick)).State.Health?.Status === "unhealthy",
    );
    const raised = await check(`unhealthy-${sick}`);
    expect(raised).toEqual({
        webhook: [`raised unhealthy-${sick}`],
        telegram: [
            `ALERT: tenant ${sick} is unhealthy: its health check fails (docker logs zc-${sick}); the watchdog restarts it`,
        ],
    });
    expect(await check(`unhealthy-${sick}`)).toEqual({ webhook: [], telegram: [] });
    // What the watchdog does; Docker reports it "starting" until its first probe.
    await docker.getContainer(`zc-${sick}`).restart({ t: 10 });
    expect((await check(`unhealthy-${sick}`)).webhook).toEqual([`recovered unhealthy-${sick}`]);
    expect(await check(`unhealthy-${sick}`)).toEqual({ webhook: [], telegram: [] });
});
