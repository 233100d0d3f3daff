/** Where Docker allocates networks on a fleet host; 10.200.0.0/14 avoids the common 10.0.0.0/16. */
export const defaultAddressPool = { base: "10.200.0.0/14", size: 20 } as const;

/** How many containers fit on one network allocated from the pool (network, gateway, broadcast excluded). */
export function addressesPerNetwork(prefixLength: number = defaultAddressPool.size): number {
    return 2 ** (32 - prefixLength) - 3;
}

/**
 * The Docker daemon settings of a fleet host (/etc/docker/daemon.json). Per-container settings
 * repeat the important ones, so a tenant stays hardened even on an engine we did not configure
 * (the dev stack's laptop engine).
 */
export function renderDaemonConfig(): object {
    return {
        "log-driver": "json-file",
        "log-opts": { "max-size": "10m", "max-file": "3" },
        // Tenants keep running while dockerd restarts for an upgrade.
        "live-restore": true,
        "no-new-privileges": true,
        // The default bridge carries no tenant, but nothing on it may talk to anything else either.
        icc: false,
        // The tenants share one network: each network Docker allocates from here is a /20
        // (4094 addresses), and the /14 holds 64 of them.
        "default-address-pools": [{ base: defaultAddressPool.base, size: defaultAddressPool.size }],
    };
}

/** The text of /etc/docker/daemon.json: renderDaemonConfig, as every copy of the file has it. */
export function renderDaemonJson(): string {
    return `${JSON.stringify(renderDaemonConfig(), null, 2)}\n`;
}
