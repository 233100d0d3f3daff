import { describeBackup } from "./backupRecord";
import { TenantContainer } from "./containerInspect";
import { StatusRow, StatusSummary, isMeasurable } from "./statusRows";
import { formatBytes, formatMiB } from "./sizes";

export const statusHeader = [
    "TENANT",
    "STATE",
    "HEALTH",
    "RESTARTS",
    "MEMORY",
    "CPU",
    "DATA",
    "LAST-BACKUP",
    "RSS",
    "REQUESTS",
    "TOKENS-IN/OUT",
    "TOOL-CALLS",
    "ERRORS",
];

/**
 * Control characters shown as "?": a cell may hold text from the engine (a label, an error), and
 * an escape sequence in it must not reach the operator's terminal.
 */
export function printable(text: string): string {
    return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}

/** One row's cells, in the order of `statusHeader`. */
export function statusCells(row: StatusRow, now: Date): string[] {
    const c = row.container;
    const tenant = row.declared ? row.tenant : `${row.tenant} (not declared)`;
    const data =
        row.dataBytes === undefined ? "-" : row.dataBytes === "unknown" ? "?" : formatBytes(row.dataBytes);
    const backup = describeBackup(row.backup, now);
    if (c === undefined) {
        return [tenant, "missing", "-", "-", "-", "-", data, backup, "-", "-", "-", "-", "-"];
    }
    const measured = isMeasurable(c);
    const usage = row.usage === undefined || row.usage === "unknown" ? undefined : row.usage;
    const used = (value: string) => (!measured ? "-" : usage === undefined ? "?" : value);
    const memory =
        c.memoryLimit > 0
            ? `${used(formatMiB(usage?.memoryUsed ?? 0))}/${formatMiB(c.memoryLimit)} MiB`
            : `${used(`${formatMiB(usage?.memoryUsed ?? 0)} MiB`)}/no limit`;
    const cpuUsed = used(`${(usage?.cpuPercent ?? 0).toFixed(1)}%`);
    const cpu = c.nanoCpus > 0 ? `${cpuUsed}/${(c.nanoCpus / 1e9).toFixed(2)} cpu` : `${cpuUsed}/no limit`;
    // A stopped container keeps the health Docker last saw; it says nothing about now.
    const health = measured ? c.health : "-";
    return [tenant, c.state, health, String(c.restartCount), memory, cpu, data, backup, ...gatewayCells(c)];
}

/**
 * What the gateway reports about itself, counted since its container last started: "-" when it
 * is not running, "?" when no probe of this run has carried a report yet.
 */
function gatewayCells(c: TenantContainer): string[] {
    if (!isMeasurable(c)) {
        return ["-", "-", "-", "-", "-"];
    }
    const r = c.report;
    if (r === undefined) {
        return ["?", "?", "?", "?", "?"];
    }
    return [
        r.rssBytes === undefined ? "?" : `${formatMiB(r.rssBytes)} MiB`,
        formatCount(r.usage.requests),
        `${formatCount(r.usage.inputTokens)}/${formatCount(r.usage.outputTokens)}`,
        formatCount(r.usage.toolCalls),
        formatCount(r.usage.errors),
    ];
}

/** Counts as they are up to 9999, then in thousands and millions: `512`, `12.3k`, `4.5M`. */
export function formatCount(n: number): string {
    if (n < 10_000) {
        return String(n);
    }
    // Below 999,950 the thousands round to at most 999.9k; from there on, 1.0M.
    return n < 999_950 ? `${(n / 1000).toFixed(1)}k` : `${(n / 1_000_000).toFixed(1)}M`;
}

/** The header and one line per row, columns padded to their widest cell. */
export function formatStatusTable(rows: ReadonlyArray<StatusRow>, now: Date): string[] {
    const table = [statusHeader, ...rows.map((r) => statusCells(r, now).map(printable))];
    const widths = statusHeader.map((_, i) => Math.max(...table.map((cells) => cells[i].length)));
    return table.map((cells) =>
        cells
            .map((cell, i) => cell.padEnd(widths[i]))
            .join("  ")
            .trimEnd(),
    );
}

/** `2 declared: 1 running, 0 unhealthy, 1 missing; 1 not declared`. */
export function formatSummary(s: StatusSummary): string {
    const notDeclared = s.notDeclared === 0 ? "" : `; ${s.notDeclared} not declared`;
    return `${s.declared} declared: ${s.running} running, ${s.unhealthy} unhealthy, ${s.missing} missing${notDeclared}`;
}
