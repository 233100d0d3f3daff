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
        // Room for many user-defined networks; the defaults run out after about 28.
        "default-address-pools": [{ base: "10.200.0.0/16", size: 24 }],
    };
}
