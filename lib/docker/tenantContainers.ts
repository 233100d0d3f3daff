import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { Tenant } from "../tenants/tenant";
import { configPathInContainer, dataDir } from "../zeptoclaw/renderConfig";
import { TenantNames } from "./tenantNames";

export const healthPort = 9090;

/** Labels every fleet object carries, for `docker ps --filter label=...` and for the status command. */
export const labelKeys = {
    tenant: "com.zeptoclaw.tenant",
    version: "com.zeptoclaw.version",
    env: "com.zeptoclaw.env",
    host: "com.zeptoclaw.host",
    role: "com.zeptoclaw.role",
    configSha256: "com.zeptoclaw.config-sha256",
} as const;

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
}

/** Where the init container sees the host folder that receives config.json. */
const initConfigDir = "/fleet-config";

function toLabels(labels: Record<string, string>): docker.types.input.ContainerLabel[] {
    return Object.entries(labels)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([label, value]) => ({ label, value }));
}

function commonLabels(tenant: Tenant, ctx: TenantContainerContext, role: string): Record<string, string> {
    return {
        ...tenant.labels,
        [labelKeys.tenant]: tenant.name,
        [labelKeys.version]: ctx.version,
        [labelKeys.env]: ctx.environment,
        [labelKeys.host]: ctx.hostName,
        [labelKeys.role]: role,
    };
}

/**
 * The one-shot container that prepares a tenant before its gateway starts. It writes the
 * rendered config to the host (Docker copies `uploads` into the bind-mounted host folder before
 * the container starts), then gives the data volume to the tenant's uid. It does the root part of
 * the upstream entrypoint (`mkdir -p /data; chown -R`), for the tenant's own uid; the gateway
 * container then runs without root at all, so the entrypoint's chown never meets the read-only
 * config mount, which would make it exit under `set -e`.
 */
export function initContainerArgs(tenant: Tenant, ctx: TenantContainerContext, configJson: pulumi.Input<string>): docker.ContainerArgs {
    const script = [
        "set -eu",
        `mkdir -p ${dataDir}/.zeptoclaw`,
        `chown -R "$1:$1" ${dataDir}`,
        `chmod 0700 ${dataDir}`,
    ].join("\n");
    return {
        name: ctx.names.initContainer,
        image: ctx.image,
        entrypoints: ["/bin/sh", "-c", script, "fleet-init"],
        command: [String(tenant.uid)],
        user: "0:0",
        // Runs once per change and exits; Pulumi waits for it so the gateway never starts first.
        attach: true,
        mustRun: false,
        restart: "no",
        networkMode: "none",
        labels: toLabels(commonLabels(tenant, ctx, "init")),
        volumes: [{ hostPath: ctx.names.configDir, containerPath: initConfigDir }],
        mounts: [{ type: "volume", source: ctx.volume, target: dataDir }],
        uploads: [
            {
                file: `${initConfigDir}/config.json`,
                content: configJson,
                owner: "0",
                group: String(tenant.uid),
                permissions: "0440",
            },
        ],
        memory: 64,
        memorySwap: 64,
        cpus: "0.5",
        capabilities: { drops: ["ALL"], adds: ["CHOWN", "DAC_OVERRIDE", "FOWNER"] },
        securityOpts: ["no-new-privileges:true"],
        logDriver: "json-file",
        logOpts: { "max-size": "1m", "max-file": "1" },
    };
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
export function gatewayContainerArgs(tenant: Tenant, ctx: TenantContainerContext, configSha256: pulumi.Input<string>): docker.ContainerArgs {
    const r = tenant.resources;
    return {
        name: ctx.names.container,
        image: ctx.image,
        command: ["zeptoclaw", "gateway"],
        restart: "unless-stopped",
        user: `${tenant.uid}:${tenant.uid}`,
        envs: [
            `HOME=${dataDir}`,
            "RUST_LOG=zeptoclaw=info",
            "RUST_LOG_FORMAT=json",
            `ZEPTOCLAW_HEALTH_PORT=${healthPort}`,
        ],
        labels: pulumi
            .output(configSha256)
            .apply((sha) => toLabels({ ...commonLabels(tenant, ctx, "gateway"), [labelKeys.configSha256]: sha })),
        mounts: [
            { type: "volume", source: ctx.volume, target: dataDir },
            { type: "bind", source: ctx.names.configFile, target: configPathInContainer, readOnly: true },
        ],
        readOnly: true,
        tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=64m" },
        healthcheck: {
            tests: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${healthPort}/healthz`],
            interval: "30s",
            timeout: "5s",
            retries: 3,
            startPeriod: "10s",
        },
        logDriver: "json-file",
        logOpts: { "max-size": "10m", "max-file": "3" },
        memory: r.memoryMb,
        memoryReservation: r.memoryReservationMb,
        // Equal to memory: no swap beyond the limit, so the limit is what the tenant really gets.
        memorySwap: r.memoryMb,
        cpus: String(r.cpus),
        cpuShares: cpuShares(r.cpuReservation),
        // RLIMIT_NPROC counts processes per uid; every tenant has its own uid, so this bounds
        // this tenant alone (the provider has no pids-limit argument).
        ulimits: [
            { name: "nproc", soft: r.pids, hard: r.pids },
            { name: "nofile", soft: 4096, hard: 4096 },
        ],
        capabilities: { drops: ["ALL"] },
        securityOpts: ["no-new-privileges:true"],
        // The provider detaches the container from the default bridge and attaches only these.
        networksAdvanced: [{ name: ctx.network }],
        // `pulumi up` fails if a tenant does not become healthy, instead of reporting success.
        wait: true,
        waitTimeout: 120,
        destroyGraceSeconds: 10,
        stopTimeout: 10,
    };
}
