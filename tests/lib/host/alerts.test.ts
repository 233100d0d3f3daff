import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { AlertsEnvInput, renderAlertsEnv, renderAlertsScript } from "../../../lib/host/alerts";
import { AlertReceiver, runAlerts, telegramTexts, webhookEvents } from "../../support/alertReceiver";
import { shellcheck } from "../../support/shellcheck";
import { tempDir } from "../../support/tempDir";

/*
 * The alert script's bookkeeping, on this machine with stand-ins for docker (no containers) and
 * xfs_quota (a report the test writes, in the columns lib/host/tenantQuota.ts reads back), and a
 * receiver on loopback for both channels. tests/engine/alerts.engine.test.ts runs it against the
 * engine.
 */

const receiver = new AlertReceiver();
let base = "";
const work = tempDir("zc-alerts-");
const bin = path.join(work, "bin");
const script = path.join(work, "alerts.sh");
const envFile = path.join(work, "alerts.env");
const quotaReport = path.join(work, "quota-report");
const webhookPath = "/hook/T0KEN-in-the-url";

beforeAll(async () => {
    base = await receiver.start();
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "docker"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    fs.writeFileSync(
        path.join(bin, "xfs_quota"),
        `#!/bin/sh\n[ -f ${quotaReport} ] || exit 1\ncat ${quotaReport}\n`,
        { mode: 0o755 },
    );
    fs.writeFileSync(script, renderAlertsScript());
});

afterAll(async () => {
    await receiver.stop();
    fs.rmSync(work, { recursive: true, force: true });
});

let stateDir = "";
beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(work, "state-"));
    fs.writeFileSync(quotaReport, "");
    receiver.take();
});

function configure(overrides: Partial<AlertsEnvInput["thresholds"]> = {}, clearAfterSeconds = 0): void {
    fs.writeFileSync(
        envFile,
        renderAlertsEnv({
            hostName: "fsn1-a",
            channels: {
                webhookUrl: `${base}${webhookPath}`,
                telegram: { botToken: "123456:AbC-dEf_9", chatId: "-100200300" },
            },
            // 100 % free memory is never there, 0 % always is.
            thresholds: {
                quotaPercent: 90,
                freeMemoryPercent: 0,
                freeDiskPercent: 0,
                restarts: 3,
                backupMaxAgeHours: 0,
                ...overrides,
            },
            tenants: [
                { name: "shop-a", uid: 10001 },
                { name: "shop-b", uid: 10002 },
            ],
            paths: { stateDir, dataMount: work },
            timing: { clearAfterSeconds },
        }),
    );
}

async function check(): Promise<{ code: number; webhook: string[]; telegram: string[]; stderr: string }> {
    const run = await runAlerts(script, {
        ZEPTOCLAW_ALERTS_ENV: envFile,
        ZEPTOCLAW_ALERTS_TELEGRAM_API: `${base}/tg`,
        PATH: `${bin}:${process.env.PATH}`,
    });
    const requests = receiver.take();
    return {
        code: run.code,
        webhook: webhookEvents(requests),
        telegram: telegramTexts(requests),
        stderr: run.stderr,
    };
}

describe("alert script", () => {
    test("passes shellcheck, and its settings survive the shell that sources them", () => {
        shellcheck(fs.readFileSync(script, "utf8"));
        const env = renderAlertsEnv({
            hostName: "fsn1-a",
            channels: { webhookUrl: "https://example.com/h?a=1&b='$(reboot)'" },
            thresholds: {
                quotaPercent: 90,
                freeMemoryPercent: 10,
                freeDiskPercent: 10,
                restarts: 3,
                backupMaxAgeHours: 26,
            },
            tenants: [{ name: "shop-a", uid: 10001 }],
        });
        fs.writeFileSync(path.join(work, "quoted.env"), env);
        const echoed = execFileSync(
            "bash",
            [
                "-c",
                `. ${work}/quoted.env && printf %s "$ALERT_WEBHOOK_URL|$ALERT_TENANT_UIDS|$ALERT_STATE_DIR"`,
            ],
            { encoding: "utf8" },
        );
        expect(echoed).toBe(
            "https://example.com/h?a=1&b='$(reboot)'|shop-a:10001|/var/lib/zeptoclaw-fleet/alerts",
        );
    });

    test("an incident is told once to each channel when it starts, not while it lasts, once when it is over", async () => {
        configure({ freeMemoryPercent: 100 });
        const raised = await check();
        expect(raised.code).toBe(0);
        expect(raised.webhook).toEqual(["raised memory"]);
        expect(raised.telegram).toEqual([
            expect.stringMatching(
                /^\[fsn1-a\] zeptoclaw-fleet\nALERT: host memory is low: \d+ % available, below 100 %/,
            ),
        ]);
        expect(await check()).toMatchObject({ webhook: [], telegram: [] });

        configure();
        const recovered = await check();
        expect(recovered.webhook).toEqual(["recovered memory"]);
        expect(recovered.telegram).toEqual([expect.stringMatching(/\nRECOVERED: host memory is low/)]);
        expect(await check()).toMatchObject({ webhook: [], telegram: [] });
    });

    test("each channel gets its own request: JSON to the webhook, a sendMessage form with the chat id to the bot", async () => {
        configure({ freeMemoryPercent: 100 });
        await runAlerts(script, {
            ZEPTOCLAW_ALERTS_ENV: envFile,
            ZEPTOCLAW_ALERTS_TELEGRAM_API: `${base}/tg`,
            PATH: `${bin}:${process.env.PATH}`,
        });
        const requests = receiver.take();
        expect(requests.map((r) => `${r.path} ${r.contentType}`).sort()).toEqual([
            `${webhookPath} application/json`,
            "/tg/bot123456:AbC-dEf_9/sendMessage application/x-www-form-urlencoded",
        ]);
        const form = new URLSearchParams(requests.find((r) => r.path.startsWith("/tg"))?.body);
        expect(form.get("chat_id")).toBe("-100200300");
        const json = JSON.parse(requests.find((r) => r.path === webhookPath)?.body ?? "{}");
        expect(json).toEqual({
            host: "fsn1-a",
            events: [{ state: "raised", key: "memory", text: expect.stringMatching(/^host memory is low/) }],
        });
    });

    test("a channel that cannot be reached is told at the next run; the other is not told twice", async () => {
        configure({ freeMemoryPercent: 100 });
        receiver.failing.add(webhookPath);
        const first = await check();
        receiver.failing.clear();
        expect(first.code).toBe(1);
        expect(first.stderr).toMatch(/could not reach the webhook; it will be told at the next run/);
        expect(first.telegram).toHaveLength(1);
        const second = await check();
        expect(second).toMatchObject({ code: 0, webhook: ["raised memory"], telegram: [] });
    });

    test("a tenant past its share of its disk limit; an unreadable report keeps its incident open", async () => {
        configure();
        // KiB: shop-a at 59 000 of 65 536 (90.0 %), shop-b at 1 %, root without a limit.
        fs.writeFileSync(
            quotaReport,
            "#0 4096 0 0 00 [--------]\n#10001 59000 0 65536 00 [--------]\n#10002 700 0 65536 00 [--------]\n",
        );
        const raised = await check();
        expect(raised.webhook).toEqual(["raised quota-shop-a"]);
        expect(raised.telegram[0]).toMatch(
            /ALERT: tenant shop-a uses 90 % of its disk limit \(57 of 64 MiB\)/,
        );

        fs.rmSync(quotaReport);
        const unreadable = await check();
        expect(unreadable.webhook).toEqual(["raised unreadable-quota"]);

        fs.writeFileSync(quotaReport, "#10001 6000 0 65536 00 [--------]\n");
        expect((await check()).webhook.sort()).toEqual([
            "recovered quota-shop-a",
            "recovered unreadable-quota",
        ]);
    });

    test("recovery waits until the condition has stayed away long enough, so a flapping tenant is one incident", async () => {
        configure({ freeMemoryPercent: 100 }, 3600);
        expect((await check()).webhook).toEqual(["raised memory"]);
        configure({}, 3600);
        expect(await check()).toMatchObject({ code: 0, webhook: [], telegram: [] });
        configure({ freeMemoryPercent: 100 }, 3600);
        expect(await check()).toMatchObject({ code: 0, webhook: [], telegram: [] });
    });
});
