import { BackupStatus } from "./backupRecord";
import { TenantContainer } from "./containerInspect";
import { ContainerUsage } from "./dockerStats";

/** A tenant the stack declares, with the names its objects get (lib/docker/tenantNames). */
export interface DeclaredTenant {
    name: string;
    container: string;
    volume: string;
}

/** One line of the status table, before formatting. */
export interface StatusRow {
    tenant: string;
    /** False for a labelled container of a tenant the stack no longer declares. */
    declared: boolean;
    /** Undefined when a declared tenant has no container. */
    container?: TenantContainer;
    /** Undefined when not measured (the container is not running); "unknown" when `docker stats` failed. */
    usage?: ContainerUsage | "unknown";
    /** The data volume's size; undefined when there is no such volume, "unknown" when `docker system df` failed. */
    dataBytes?: number | "unknown";
    backup: BackupStatus;
}

/** What was read from the engine, keyed by container id and volume name. */
export interface EngineFacts {
    containers: ReadonlyArray<TenantContainer>;
    /** Undefined when `docker stats` failed. */
    usage: ReadonlyMap<string, ContainerUsage> | undefined;
    /** Undefined when `docker system df` failed. */
    volumeSizes: ReadonlyMap<string, number> | undefined;
    backups: ReadonlyMap<string, BackupStatus>;
}

/** Containers whose usage `docker stats` can measure. */
export function isMeasurable(container: TenantContainer): boolean {
    return container.state === "running" || container.state === "paused";
}

/**
 * The table's rows: each declared tenant with its container (or as missing), sorted by name, then
 * the labelled containers of tenants the stack does not declare (a removed tenant whose
 * container is still there, or one the operator started by hand), as found.
 */
export function statusRows(declared: ReadonlyArray<DeclaredTenant>, facts: EngineFacts): StatusRow[] {
    const row = (
        tenant: string,
        isDeclared: boolean,
        container: TenantContainer,
        volume: string,
    ): StatusRow => ({
        tenant,
        declared: isDeclared,
        container,
        usage: !isMeasurable(container) ? undefined : (facts.usage?.get(container.id) ?? "unknown"),
        dataBytes: volumeBytes(facts, container.dataVolume ?? volume),
        backup: facts.backups.get(container.id) ?? { kind: "unreadable", reason: "not read" },
    });
    const byName = (a: { tenant: string }, b: { tenant: string }) => a.tenant.localeCompare(b.tenant);
    const names = new Set(declared.map((t) => t.name));
    const rows: StatusRow[] = [];
    for (const t of [...declared].sort((a, b) => a.name.localeCompare(b.name))) {
        const found = facts.containers.filter((c) => c.tenant === t.name);
        if (found.length === 0) {
            rows.push({
                tenant: t.name,
                declared: true,
                dataBytes: volumeBytes(facts, t.volume),
                backup: { kind: "no container" },
            });
        }
        rows.push(...found.map((c) => row(t.name, true, c, t.volume)));
    }
    const undeclared = facts.containers
        .filter((c) => !names.has(c.tenant))
        .map((c) => row(c.tenant, false, c, c.dataVolume ?? ""))
        .sort(byName);
    return [...rows, ...undeclared];
}

function volumeBytes(facts: EngineFacts, volume: string): number | "unknown" | undefined {
    return facts.volumeSizes === undefined ? "unknown" : facts.volumeSizes.get(volume);
}

export interface StatusSummary {
    declared: number;
    running: number;
    unhealthy: number;
    missing: number;
    notDeclared: number;
}

/** Counts over the declared tenants, plus how many containers are not declared. */
export function summarize(rows: ReadonlyArray<StatusRow>): StatusSummary {
    const declared = rows.filter((r) => r.declared);
    return {
        declared: new Set(declared.map((r) => r.tenant)).size,
        running: declared.filter((r) => r.container?.state === "running").length,
        unhealthy: declared.filter(
            (r) => r.container?.state === "running" && r.container.health === "unhealthy",
        ).length,
        missing: declared.filter((r) => r.container === undefined).length,
        notDeclared: rows.filter((r) => !r.declared).length,
    };
}

/**
 * Whether every declared tenant is running and none is unhealthy: what `npm run status` reports
 * with its exit status, so that scripts and monitoring can act on it.
 */
export function allDeclaredHealthy(summary: StatusSummary): boolean {
    return summary.running === summary.declared && summary.unhealthy === 0;
}
