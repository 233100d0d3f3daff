/** The names a tenant's Docker objects and host files get; stable, derived from the tenant name. */
export interface TenantNames {
    container: string;
    /** The one-shot container that gives the volume to the tenant's uid (lib/docker/dataOwner.ts). */
    dataOwner: string;
    volume: string;
    /** Host file holding the rendered config.json. */
    configFile: string;
}

export function tenantNames(tenant: string, configRoot: string, volume?: string): TenantNames {
    return {
        container: `zc-${tenant}`,
        // A dot, which no tenant name has: it cannot be another tenant's container.
        dataOwner: `zc-${tenant}.data-owner`,
        volume: volume ?? `${tenant}-data`,
        configFile: `${configRoot}/${tenant}/config.json`,
    };
}
