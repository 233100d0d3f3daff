import { BackupStatus } from "./backupRecord";
import { StatusRow, StatusSummary, isMeasurable } from "./statusRows";
import { TenantUsage } from "./tenantReport";

/**
 * `npm run status -- --json`: the table's facts as numbers and names for scripts and monitoring.
 * Null is "not measured" (the container is not running or missing) or "not read"; sizes are in
 * bytes, times in ISO 8601 UTC.
 */
export interface StatusJson {
    stack: string;
    at: string;
    summary: StatusSummary;
    tenants: TenantStatusJson[];
}

export interface TenantStatusJson {
    tenant: string;
    declared: boolean;
    /** Docker's state, or "missing" when a declared tenant has no container. */
    state: string;
    health: string | null;
    restarts: number | null;
    memory: { usedBytes: number | null; limitBytes: number | null };
    cpu: { percent: number | null; limit: number | null };
    dataBytes: number | null;
    backup: BackupJson;
    /** What the gateway reported about itself on its newest probe, counted since it started. */
    gateway: GatewayJson | null;
}

export type BackupJson =
    | { kind: "recorded"; time: string; snapshot: string; bytes: number }
    | { kind: "never" | "no container" }
    | { kind: "malformed" | "unreadable"; reason: string };

export interface GatewayJson extends TenantUsage {
    rssBytes: number | null;
    reportedAt: string;
}

function backupJson(b: BackupStatus): BackupJson {
    switch (b.kind) {
        case "recorded":
            return {
                kind: b.kind,
                time: b.record.time.toISOString(),
                snapshot: b.record.snapshot,
                bytes: b.record.bytes,
            };
        case "never":
        case "no container":
            return { kind: b.kind };
        case "malformed":
        case "unreadable":
            return { kind: b.kind, reason: b.reason };
    }
}

function tenantJson(row: StatusRow): TenantStatusJson {
    const c = row.container;
    const dataBytes = typeof row.dataBytes === "number" ? row.dataBytes : null;
    const backup = backupJson(row.backup);
    if (c === undefined) {
        return {
            tenant: row.tenant,
            declared: row.declared,
            state: "missing",
            health: null,
            restarts: null,
            memory: { usedBytes: null, limitBytes: null },
            cpu: { percent: null, limit: null },
            dataBytes,
            backup,
            gateway: null,
        };
    }
    const measured = isMeasurable(c);
    const usage = typeof row.usage === "object" ? row.usage : undefined;
    const report = measured ? c.report : undefined;
    return {
        tenant: row.tenant,
        declared: row.declared,
        state: c.state,
        // A stopped container keeps the health Docker last saw; it says nothing about now.
        health: measured ? c.health : null,
        restarts: c.restartCount,
        memory: {
            usedBytes: usage?.memoryUsed ?? null,
            limitBytes: c.memoryLimit > 0 ? c.memoryLimit : null,
        },
        cpu: { percent: usage?.cpuPercent ?? null, limit: c.nanoCpus > 0 ? c.nanoCpus / 1e9 : null },
        dataBytes,
        backup,
        gateway:
            report === undefined
                ? null
                : { ...report.usage, rssBytes: report.rssBytes ?? null, reportedAt: report.at.toISOString() },
    };
}

export function statusJson(
    stack: string,
    rows: ReadonlyArray<StatusRow>,
    summary: StatusSummary,
    now: Date,
): StatusJson {
    return { stack, at: now.toISOString(), summary, tenants: rows.map(tenantJson) };
}
