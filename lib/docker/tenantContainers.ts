import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { Tenant } from "../tenants/tenant";
import { configPathInContainer, dataDir, workspaceDir } from "./containerPaths";
import { labelKeys, toLabels } from "./labels";
import { declaredCpus } from "../tenants/providerCpus";
import { unreachable } from "../unreachable";
import { HealthStart, TenantHostRuntime } from "./tenantHostRuntime";
import { TenantNames } from "./tenantNames";
import { receivesWebhooks, webhookHostPort, webhookListener } from "./webhookListener";
import { tenantCgroupParent } from "./tenantSlice";

export const healthPort = 9090;

/** How often Docker probes each tenant's readiness; the capacity check counts what probes cost. */
export const healthcheckIntervalSeconds = 30;

/** The health probe, run in the tenant's container: prints /healthz, fails unless /readyz is 200. */
export const healthProbeCommand = [
    "wget",
    "-q",
    "-O",
    "-",
    `http://127.0.0.1:${healthPort}/healthz`,
    `http://127.0.0.1:${healthPort}/readyz`,
];
/** The rest of each gateway's health check: probe timeout, failures in a row, start period. */
export const healthcheckTimeoutSeconds = 5;
export const healthcheckRetries = 3;
export const healthcheckStartPeriodSeconds = 10;
/**
 * The probe rate of a starting tenant, where the engine has start_interval (HealthStart), in the
 * form the provider reads it back (Go's time.Duration String, terraform-provider-docker v4.5.0
 * resource_docker_container_funcs.go), or every `pulumi up` would see a change.
 */
export const healthcheckStartInterval = "500ms";

/**
 * By when Docker has decided a new gateway's health: probes fail without counting during the
 * start period, then `retries` failed probes one interval apart make it unhealthy, the last one
 * ending within a probe timeout (moby v20.10.24 daemon/health.go, handleProbeResult). A
 * successful probe before that makes it healthy. `npm run upgrade` waits this long at most.
 */
export const healthVerdictSeconds =
    healthcheckStartPeriodSeconds +
    healthcheckRetries * healthcheckIntervalSeconds +
    healthcheckTimeoutSeconds;

/**
 * Where ZeptoClaw 0.9.2 discovers MCP servers whatever its config says, and spawns the stdio ones
 * at boot (src/tools/mcp/discovery.rs `discover_mcp_servers`, called unconditionally from
 * src/kernel/registrar.rs): `$HOME/.mcp/servers.json` and `<workspace>/.mcp.json`. The agent
 * writes into its workspace, so such a file would be a command run at the next start. The
 * container covers both: an empty read-only tmpfs at `$HOME/.mcp` (servers.json cannot be
 * created) and the host's /dev/null, read-only, at the workspace's `.mcp.json` (always empty,
 * which discovery skips); neither can be renamed or removed, being mount points.
 */
export const mcpDiscoveryPaths = {
    globalDir: `${dataDir}/.mcp`,
    workspaceFile: `${workspaceDir}/.mcp.json`,
} as const;

/** The upstream image's entrypoint; the gateway still starts through it. */
export const upstreamEntrypoint = "docker-entrypoint.sh";

export interface TenantContainerContext {
    /** Immutable image id or digest: an unchanged image restarts nobody. */
    image: pulumi.Input<string>;
    /** ZeptoClaw version, for the version label. */
    version: string;
    environment: string;
    hostName: string;
    network: pulumi.Input<string>;
    volume: pulumi.Input<string>;
    names: TenantNames;
    runtime: TenantHostRuntime;
}

/**
 * The healthcheck's start_interval: probing every half second while the tenant starts, so a restart
 * (upgrade, move, restore, config change) ends when ZeptoClaw is ready, not one 30 s interval
 * later. Once healthy, or after the start period, Docker probes at the steady interval again.
 */
function startProbes(start: HealthStart): { startInterval?: string } {
    switch (start) {
        case "start-interval":
            return { startInterval: healthcheckStartInterval };
        case "steady-interval":
            return {};
        default:
            return unreachable(start);
    }
}

/**
 * Docker's own AppArmor profile, named, where the host runs AppArmor. Docker would apply it
 * unasked there (moby v20.10.24, daemon/oci_linux.go `WithApparmor`); naming it keeps a host
 * whose default changed from running tenants unconfined.
 */
export function appArmorOpts(runtime: TenantHostRuntime): string[] {
    return runtime.appArmor ? ["apparmor=docker-default"] : [];
}

/** Docker's default CPU weight is 1024 for one full CPU. */
export function cpuShares(cpuReservation: number): number {
    return Math.max(2, Math.round(cpuReservation * 1024));
}

/**
 * The tenant's gateway container: everything the seed's compose block gives, made correct.
 * `configSha256` labels the container so that a changed config replaces it: the bind mount pins
 * the file's inode, so a container never sees a config written after it started.
 */
export function gatewayContainerArgs(
    tenant: Tenant,
    ctx: TenantContainerContext,
    configSha256: pulumi.Input<string>,
): docker.ContainerArgs {
    const r = tenant.resources;
    const labels = {
        ...tenant.labels,
        [labelKeys.tenant]: tenant.name,
        [labelKeys.version]: ctx.version,
        [labelKeys.env]: ctx.environment,
        [labelKeys.host]: ctx.hostName,
        [labelKeys.role]: "gateway",
        [labelKeys.pidsLimit]: String(r.pids),
    };
    return {
        name: ctx.names.container,
        image: ctx.image,
        // The upstream entrypoint, not being root, just execs ZeptoClaw (docker-entrypoint.sh at
        // v0.9.2); its root branch (`chown -R /data`, then gosu) would meet the read-only config
        // mount and exit under `set -e`. The tenant's uid, every capability dropped and
        // no_new_privs: no process of the tenant, its init included, ever holds a capability.
        // The data volume was given to that uid before (lib/docker/dataOwner.ts).
        entrypoints: [upstreamEntrypoint],
        command: ["zeptoclaw", "gateway"],
        restart: "unless-stopped",
        user: `${tenant.uid}:${tenant.uid}`,
        // Docker's init (tini) as PID 1 reaps orphans and passes signals on to ZeptoClaw, which
        // stops on Ctrl-C only (`tokio::signal::ctrl_c`, src/cli/gateway.rs) and has no SIGTERM
        // handler: as PID 1 it would ignore Docker's SIGTERM and be killed after stopTimeout.
        // The init runs as the container's user, so it holds no capability either.
        init: true,
        stopSignal: "SIGINT",
        // The log format is the config's `logging` section (src/utils/logging.rs); RUST_LOG,
        // read by tracing's EnvFilter there, overrides its level.
        envs: [`HOME=${dataDir}`, "RUST_LOG=zeptoclaw=info", `ZEPTOCLAW_HEALTH_PORT=${healthPort}`],
        labels: pulumi
            .output(configSha256)
            .apply((sha) => toLabels({ ...labels, [labelKeys.configSha256]: sha })),
        mounts: [
            { type: "volume", source: ctx.volume, target: dataDir },
            { type: "bind", source: ctx.names.configFile, target: configPathInContainer, readOnly: true },
            { type: "bind", source: "/dev/null", target: mcpDiscoveryPaths.workspaceFile, readOnly: true },
        ],
        readOnly: true,
        tmpfs: {
            "/tmp": "rw,noexec,nosuid,nodev,size=64m",
            [mcpDiscoveryPaths.globalDir]: "ro,noexec,nosuid,nodev,size=4k,mode=0555",
        },
        healthcheck: {
            // Health is /readyz: in 0.9.2 /healthz answers 200 even once the agent loop has ended;
            // /readyz answers 503 before startup completes and after the loop ends (src/health.rs
            // `start_health_server_legacy`, readiness set in src/cli/gateway.rs). The same wget
            // first prints /healthz, the gateway's rss and usage counters: Docker keeps the output
            // of the last probes, where `npm run status` reads them without exec into the tenant.
            // GNU wget fetches every URL and exits non-zero when any failed.
            tests: ["CMD", ...healthProbeCommand],
            interval: `${healthcheckIntervalSeconds}s`,
            timeout: `${healthcheckTimeoutSeconds}s`,
            retries: healthcheckRetries,
            startPeriod: `${healthcheckStartPeriodSeconds}s`,
            ...startProbes(ctx.runtime.healthStart),
        },
        logDriver: "json-file",
        logOpts: { "max-size": "10m", "max-file": "3" },
        memory: r.memoryMb,
        memoryReservation: r.memoryReservationMb,
        // Equal to memory: no swap beyond the limit, so the limit is what the tenant really gets.
        memorySwap: r.memoryMb,
        // In the form the provider reads back, or every `pulumi up` would replace the container.
        cpus: declaredCpus(r.cpus),
        cpuShares: cpuShares(r.cpuReservation),
        // The provider has no pids-limit argument: a Hetzner host sets the container's PidsLimit
        // from its label (lib/host/pidsLimit.ts), and the tenant's slice, which the host keeps
        // with the same limit (renderTenantSlice), is the container's parent cgroup, so the
        // kernel's pids controller counts every task in the container against that limit too.
        cgroupParent:
            ctx.runtime.cgroupDriver === undefined
                ? undefined
                : tenantCgroupParent(tenant.name, ctx.runtime.cgroupDriver),
        // RLIMIT_NPROC counts processes per uid; every tenant has its own uid, so this bounds
        // this tenant alone, also on an engine that keeps no slices. Every process of the tenant
        // is its uid's, so both limits count the same tasks; one more here leaves the refusal to
        // the slice's pids controller where there is one.
        ulimits: [
            { name: "nproc", soft: r.pids + 1, hard: r.pids + 1 },
            { name: "nofile", soft: 4096, hard: 4096 },
        ],
        capabilities: { drops: ["ALL"] },
        securityOpts: ["no-new-privileges:true", ...appArmorOpts(ctx.runtime)],
        // The webhook listener, published on the host's loopback only, for the host's proxy
        // (lib/host/webhookProxy.ts). Other tenants cannot reach it: their 127.0.0.1 is their own.
        ports: receivesWebhooks(tenant)
            ? [
                  {
                      internal: webhookListener.port,
                      external: webhookHostPort(tenant),
                      ip: "127.0.0.1",
                      protocol: "tcp",
                  },
              ]
            : undefined,
        // The provider detaches the container from the default bridge and attaches only these.
        networksAdvanced: [{ name: ctx.network }],
        // `pulumi up` fails if a tenant does not become healthy, instead of reporting success.
        wait: true,
        waitTimeout: 120,
        destroyGraceSeconds: 10,
        stopTimeout: 10,
    };
}
