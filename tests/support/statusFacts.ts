import { TenantContainer } from "../../lib/status/containerInspect";
import { DeclaredTenant, EngineFacts } from "../../lib/status/statusRows";

/** What the status tests read from a made-up engine at one moment. */
export const now = new Date("2026-11-28T15:00:00Z");
export const mib = 1024 * 1024;

/** A running, healthy gateway of `tenant` with 256 MiB and half a CPU. */
export function container(tenant: string, overrides: Partial<TenantContainer> = {}): TenantContainer {
    return {
        id: `${tenant}-id`,
        name: `zc-${tenant}`,
        tenant,
        state: "running",
        health: "healthy",
        restartCount: 0,
        memoryLimit: 256 * mib,
        nanoCpus: 500_000_000,
        dataVolume: `${tenant}-data`,
        ...overrides,
    };
}

export const declared = (...names: string[]): DeclaredTenant[] =>
    names.map((name) => ({ name, container: `zc-${name}`, volume: `${name}-data` }));

/** Every container measured at 18.2 MiB and 0.3 % CPU, 4 KiB of data each, never backed up. */
export function facts(containers: TenantContainer[], overrides: Partial<EngineFacts> = {}): EngineFacts {
    return {
        containers,
        usage: new Map(
            containers.map((c) => [c.id, { memoryUsed: Math.round(18.2 * mib), cpuPercent: 0.3 }]),
        ),
        volumeSizes: new Map(containers.map((c) => [`${c.tenant}-data`, 4096])),
        backups: new Map(containers.map((c) => [c.id, { kind: "never" as const }])),
        ...overrides,
    };
}
