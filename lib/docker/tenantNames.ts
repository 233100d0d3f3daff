/** The names a tenant's Docker objects and host files get; stable, derived from the tenant name. */
export interface TenantNames {
    container: string;
    volume: string;
    /** Host file holding the rendered config.json. */
    configFile: string;
}

export function tenantNames(tenant: string, configRoot: string, volume?: string): TenantNames {
    return {
        container: `zc-${tenant}`,
        volume: volume ?? `${tenant}-data`,
        configFile: `${configRoot}/${tenant}/config.json`,
    };
}
