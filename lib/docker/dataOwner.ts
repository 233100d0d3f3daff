import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { Tenant } from "../tenants/tenant";
import { configPathInContainer, dataDir, workspaceDir } from "./containerPaths";
import { labelKeys, toLabels } from "./labels";
import { mcpDiscoveryPaths } from "./tenantContainers";
import { TenantNames } from "./tenantNames";

/**
 * Where ZeptoClaw 0.9.2 keeps its state and reads its config: `$HOME/.zeptoclaw`
 * (src/config/mod.rs, `Config::dir`).
 */
export const stateDir = `${dataDir}/.zeptoclaw`;

/**
 * The ownership step, as root, of the tenant's data volume mounted at /data: a new volume (the
 * image's /data, copied in by Docker) and a volume adopted from the seed belong to someone else.
 * /data and /data/.zeptoclaw become root's, group-writable by the tenant and sticky: the tenant
 * creates and replaces its own files there, but cannot rename the folder that holds the config
 * mount and put a config of its own in its place. Everything else, the workspace included, becomes
 * the tenant's, but for the gateway's mount points (the config file, the MCP discovery shields),
 * which stay root's. `chown -h` and find's default never follow a link the tenant may have planted.
 */
export function dataOwnerScript(): string {
    return [
        "set -eu",
        'uid="$1"',
        // /data first: on a seed volume it is another uid's, and root without DAC_OVERRIDE could
        // not create the folders below in it.
        `chown "0:$uid" ${dataDir}`,
        `mkdir -p ${stateDir} ${workspaceDir}`,
        `chown "0:$uid" ${stateDir}`,
        `chmod 1770 ${dataDir} ${stateDir}`,
        `find ${dataDir} -mindepth 1 ! -path ${stateDir} ! -path ${configPathInContainer} ! -path ${mcpDiscoveryPaths.globalDir} ! -path ${mcpDiscoveryPaths.workspaceFile} \\( ! -user "$uid" -o ! -group "$uid" \\) -exec chown -h "$uid:$uid" {} +`,
    ].join("\n");
}

export interface DataOwnerContext {
    /** Any image with a POSIX shell, find and chown: the tenant's ZeptoClaw image. */
    image: pulumi.Input<string>;
    hostName: string;
    volume: pulumi.Input<string>;
    names: TenantNames;
}

/**
 * The tenant's data owner: a one-shot container that runs the ownership step on its volume, once
 * when the volume is first the program's and again when the tenant's uid changes (the uid is
 * its command, which the provider cannot change in place). Its capabilities are the step's own
 * (chown, and reading folders the tenant made private), held for the few milliseconds it runs,
 * with no network and no tenant code: the gateway then starts as the tenant's uid and holds no
 * capability at all, in its settings as in its processes.
 */
export function dataOwnerArgs(tenant: Tenant, ctx: DataOwnerContext): docker.ContainerArgs {
    return {
        name: ctx.names.dataOwner,
        image: ctx.image,
        entrypoints: ["/bin/sh", "-c", dataOwnerScript(), "data-owner"],
        command: [String(tenant.uid)],
        user: "0:0",
        // Runs once and exits; Pulumi waits for it, so the gateway starts on a volume it owns.
        attach: true,
        mustRun: false,
        restart: "no",
        networkMode: "none",
        readOnly: true,
        labels: toLabels({
            [labelKeys.host]: ctx.hostName,
            [labelKeys.role]: "data-owner",
            [labelKeys.tenant]: tenant.name,
        }),
        mounts: [{ type: "volume", source: ctx.volume, target: dataDir }],
        memory: 64,
        memorySwap: 64,
        capabilities: { drops: ["ALL"], adds: ["CHOWN", "DAC_READ_SEARCH"] },
        securityOpts: ["no-new-privileges:true"],
        logDriver: "json-file",
        logOpts: { "max-size": "1m", "max-file": "1" },
    };
}
