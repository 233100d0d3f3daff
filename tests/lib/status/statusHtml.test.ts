import { defaultReportThresholds, renderStatusHtml, tenantAlerts } from "../../../lib/status/statusHtml";
import { StatusJson, TenantStatusJson } from "../../../lib/status/statusJson";

const now = new Date("2026-12-07T12:00:00Z");
const mib = 1024 * 1024;

/** A tenant that runs well: healthy, a third of its memory, backed up three hours ago. */
function tenant(overrides: Partial<TenantStatusJson> = {}): TenantStatusJson {
    return {
        tenant: "shop-a",
        declared: true,
        state: "running",
        health: "healthy",
        restarts: 0,
        memory: { usedBytes: 40 * mib, limitBytes: 128 * mib },
        cpu: { percent: 1.5, limit: 0.25 },
        dataBytes: 2 * mib,
        backup: { kind: "recorded", time: "2026-12-07T09:00:00Z", snapshot: "a1b2c3d4", bytes: 4096 },
        gateway: {
            requests: 12,
            toolCalls: 1,
            inputTokens: 10,
            outputTokens: 20,
            errors: 1,
            rssBytes: 9 * mib,
            reportedAt: "2026-12-07T11:59:30Z",
        },
        ...overrides,
    };
}

const alertsOf = (t: TenantStatusJson) => tenantAlerts(t, now, defaultReportThresholds);

describe("the status page", () => {
    test("flags what the host's alerts would: not running, unhealthy, memory near its limit, an old or missing backup, an undeclared container", () => {
        expect(alertsOf(tenant())).toEqual([]);
        expect(alertsOf(tenant({ state: "exited", health: null }))).toEqual(["not running (exited)"]);
        expect(alertsOf(tenant({ health: "unhealthy" }))).toEqual(["unhealthy"]);
        expect(alertsOf(tenant({ memory: { usedBytes: 120 * mib, limitBytes: 128 * mib } }))).toEqual([
            "memory at 94 % of its limit",
        ]);
        expect(
            alertsOf(
                tenant({
                    backup: { kind: "recorded", time: "2026-12-06T09:00:00Z", snapshot: "x", bytes: 1 },
                }),
            ),
        ).toEqual(["last backup 27 h ago"]);
        expect(alertsOf(tenant({ backup: { kind: "never" } }))).toEqual(["never backed up"]);
        expect(alertsOf(tenant({ declared: false }))).toEqual(["no tenant file declares it"]);
        expect(
            alertsOf(tenant({ state: "missing", health: null, backup: { kind: "no container" } })),
        ).toEqual(["declared, but it has no container"]);
    });

    test("one page, nothing fetched and no script: each host's tenants, a host not read, what needs a look first", () => {
        const status: StatusJson = {
            stack: "prod-a",
            at: now.toISOString(),
            summary: { declared: 2, running: 1, unhealthy: 1, missing: 0, notDeclared: 0 },
            tenants: [tenant(), tenant({ tenant: "shop-b", health: "unhealthy" })],
        };
        const html = renderStatusHtml(
            [
                { stack: "prod-a", status },
                { stack: "prod-b", failure: "cannot reach <ssh://198.51.100.7> & its key" },
            ],
            now,
        );
        expect(html).toMatch(/^<!doctype html>\n/);
        expect(html).not.toMatch(/<script|https?:\/\/|<link|src=/i);
        expect(html).toContain("2 host(s), 2 tenant(s), read 2026-12-07 12:00 UTC; 2 need(s) a look.");
        expect(html).toContain("<li>prod-a / shop-b: unhealthy</li>");
        expect(html).toContain("prod-b: not read (cannot reach &#60;ssh://198.51.100.7&#62; &#38; its key)");
        expect(html).toContain('<tr class="attention" data-tenant="shop-b">');
        expect(html).toContain('<tr class="ok" data-tenant="shop-a">');
        expect(html).toContain("2026-12-07 09:00 UTC (3h ago)");
        expect(html).toContain('40 MiB / 128 MiB <meter min="0" max="134217728"');
    });
});
