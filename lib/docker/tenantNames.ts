/** The names a tenant's Docker objects and host files get; stable, derived from the tenant name. */
export interface TenantNames {
    container: string;
    initContainer: string;
    volume: string;
    /** Host folder holding the rendered config.json. */
    configDir: string;
    configFile: string;
}

export function tenantNames(tenant: string, configRoot: string): TenantNames {
    const configDir = `${configRoot}/${tenant}`;
    return {
        container: `zc-${tenant}`,
        // "." cannot appear in a tenant name, so no tenant's gateway can be named like another's init container.
        initContainer: `zc-${tenant}.init`,
        volume: `${tenant}-data`,
        configDir,
        configFile: `${configDir}/config.json`,
    };
}
