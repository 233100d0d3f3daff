import { formatAge, formatUtcMinute } from "./age";
import { formatBytes, formatMiB } from "./sizes";
import { StatusJson, TenantStatusJson } from "./statusJson";
import { formatSummary } from "./statusTable";

/** One host of the report: its status as `npm run status -- --json` gives it, or why it was not read. */
export type HostStatusPage = { stack: string; status: StatusJson } | { stack: string; failure: string };

/** The thresholds the report flags a tenant at: the host alerts' defaults (lib/host/alerts.ts). */
export interface ReportThresholds {
    /** A tenant's memory above this share of its limit is flagged. */
    memoryShare: number;
    /** A last backup older than this, or none, is flagged. */
    backupMaxAgeHours: number;
}

export const defaultReportThresholds: ReportThresholds = { memoryShare: 0.9, backupMaxAgeHours: 26 };

/** Why a tenant needs a look, as short phrases; none for a tenant that runs well. */
export function tenantAlerts(t: TenantStatusJson, now: Date, thresholds: ReportThresholds): string[] {
    const alerts: string[] = [];
    if (!t.declared) {
        alerts.push("no tenant file declares it");
    }
    if (t.state === "missing") {
        alerts.push("declared, but it has no container");
    } else if (t.state !== "running") {
        alerts.push(`not running (${t.state})`);
    }
    if (t.health === "unhealthy") {
        alerts.push("unhealthy");
    }
    const { usedBytes, limitBytes } = t.memory;
    if (usedBytes !== null && limitBytes !== null && usedBytes >= thresholds.memoryShare * limitBytes) {
        alerts.push(`memory at ${Math.round((100 * usedBytes) / limitBytes)} % of its limit`);
    }
    switch (t.backup.kind) {
        case "recorded": {
            const hours = (now.getTime() - new Date(t.backup.time).getTime()) / 3_600_000;
            if (hours > thresholds.backupMaxAgeHours) {
                alerts.push(`last backup ${Math.floor(hours)} h ago`);
            }
            break;
        }
        case "never":
            alerts.push("never backed up");
            break;
        case "malformed":
        case "unreadable":
            alerts.push(`backup record ${t.backup.kind}: ${t.backup.reason}`);
            break;
        case "no container":
            break;
    }
    return alerts;
}

/** Text for HTML: nothing a tenant's name or a reason holds can become markup. */
function escape(text: string): string {
    return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function memoryCell(t: TenantStatusJson): string {
    const { usedBytes, limitBytes } = t.memory;
    const limit = limitBytes === null ? "no limit" : `${formatMiB(limitBytes)} MiB`;
    if (usedBytes === null) {
        return `- / ${limit}`;
    }
    const meter =
        limitBytes === null
            ? ""
            : ` <meter min="0" max="${limitBytes}" high="${0.9 * limitBytes}" value="${usedBytes}"></meter>`;
    return `${formatMiB(usedBytes)} MiB / ${limit}${meter}`;
}

function backupCell(t: TenantStatusJson, now: Date): string {
    switch (t.backup.kind) {
        case "recorded": {
            const time = new Date(t.backup.time);
            return `${formatUtcMinute(time)} (${formatAge(now.getTime() - time.getTime())})`;
        }
        case "never":
            return "never";
        case "no container":
            return "-";
        case "malformed":
        case "unreadable":
            return `${t.backup.kind}`;
    }
}

function tenantRow(t: TenantStatusJson, now: Date, thresholds: ReportThresholds): string {
    const alerts = tenantAlerts(t, now, thresholds);
    const cpu = `${t.cpu.percent === null ? "-" : `${t.cpu.percent.toFixed(1)} %`} / ${t.cpu.limit === null ? "no limit" : `${t.cpu.limit} cpu`}`;
    const cells = [
        t.tenant,
        t.state,
        t.health ?? "-",
        t.restarts === null ? "-" : String(t.restarts),
        memoryCell(t),
        cpu,
        t.dataBytes === null ? "-" : formatBytes(t.dataBytes),
        backupCell(t, now),
        t.gateway === null ? "-" : `${t.gateway.requests} / ${t.gateway.errors}`,
        alerts.length === 0 ? "" : `<ul>${alerts.map((a) => `<li>${escape(a)}</li>`).join("")}</ul>`,
    ];
    // Only the cells the report builds from numbers carry markup; the rest is escaped text.
    const html = cells.map((c, i) => (i === 4 || i === 9 ? c : escape(c)));
    return `<tr class="${alerts.length === 0 ? "ok" : "attention"}" data-tenant="${escape(t.tenant)}">${html.map((c) => `<td>${c}</td>`).join("")}</tr>`;
}

function hostSection(page: HostStatusPage, now: Date, thresholds: ReportThresholds): string {
    if ("failure" in page) {
        return `<section class="host failed" data-host="${escape(page.stack)}"><h2>${escape(page.stack)}</h2><p class="failure">not read: ${escape(page.failure)}</p></section>`;
    }
    const { status } = page;
    const head = [
        "tenant",
        "state",
        "health",
        "restarts",
        "memory",
        "CPU",
        "data",
        "last backup",
        "requests / errors",
        "alerts",
    ];
    return [
        `<section class="host" data-host="${escape(page.stack)}">`,
        `<h2>${escape(page.stack)}</h2>`,
        `<p class="summary">${escape(formatSummary(status.summary))}; read ${escape(formatUtcMinute(new Date(status.at)))}</p>`,
        `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>`,
        ...status.tenants.map((t) => tenantRow(t, now, thresholds)),
        `</tbody></table></section>`,
    ].join("\n");
}

/**
 * The fleet report: one self-contained HTML page (no script, style inline, nothing fetched) with
 * each host's tenants, their health, memory and CPU against their limits, data, last backup and
 * what the gateway reports, and the tenants that need a look first.
 */
export function renderStatusHtml(
    pages: ReadonlyArray<HostStatusPage>,
    now: Date,
    thresholds: ReportThresholds = defaultReportThresholds,
): string {
    const attention = pages.flatMap((page) =>
        "failure" in page
            ? [`${page.stack}: not read (${page.failure})`]
            : page.status.tenants.flatMap((t) => {
                  const alerts = tenantAlerts(t, now, thresholds);
                  return alerts.length === 0 ? [] : [`${page.stack} / ${t.tenant}: ${alerts.join("; ")}`];
              }),
    );
    const tenants = pages.reduce((sum, p) => sum + ("failure" in p ? 0 : p.status.tenants.length), 0);
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>zeptoclaw-fleet status, ${escape(formatUtcMinute(now))}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2em; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
tr.attention td { background: #fff3e0; }
td ul { margin: 0; padding-left: 1.2em; }
.failure, #attention li { color: #b00020; }
</style>
</head>
<body>
<h1>zeptoclaw-fleet status</h1>
<p id="overview">${pages.length} host(s), ${tenants} tenant(s), read ${escape(formatUtcMinute(now))}; ${attention.length === 0 ? "nothing needs a look" : `${attention.length} need(s) a look`}.</p>
<section id="attention"><h2>Needs a look</h2>${attention.length === 0 ? "<p>Nothing.</p>" : `<ul>${attention.map((a) => `<li>${escape(a)}</li>`).join("")}</ul>`}</section>
${pages.map((p) => hostSection(p, now, thresholds)).join("\n")}
</body>
</html>
`;
}
