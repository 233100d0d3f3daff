import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { labelKeys, toLabels } from "./labels";

/** Where the writer sees the host's configRoot. */
const mountPoint = "/fleet-config";
/** Marks a folder as ours: the writer only ever deletes folders that carry it. */
export const managedMarker = ".zeptoclaw-fleet";

export interface RenderedTenantConfig {
    tenant: string;
    uid: number;
    /** The rendered config.json, a Pulumi secret. */
    configJson: pulumi.Input<string>;
}

export interface ConfigWriterContext {
    /** Name of this set of configs, e.g. `zc-configs-<digest>`; it changes when any config does. */
    name: pulumi.Input<string>;
    image: pulumi.Input<string>;
    configRoot: string;
    hostName: string;
}

/**
 * The one-shot container that writes every tenant's config.json to the host. Docker copies
 * `uploads` into it, and so into the bind-mounted configRoot, before it starts; then it deletes
 * the folders of tenants no longer in the list (only folders carrying our marker), so a removed
 * tenant's keys do not stay on the host. The folders are root's alone (0700); the files inside
 * are root-owned and read-only (0444), so that the tenant's uid reads its own through the mount
 * whatever owner the provider's upload leaves on it.
 */
export function configWriterArgs(
    configs: ReadonlyArray<RenderedTenantConfig>,
    ctx: ConfigWriterContext,
): docker.ContainerArgs {
    const prune = [
        "set -eu",
        `cd ${mountPoint}`,
        // Only root may look into the folders: the files inside are readable by whoever reaches them.
        "chmod 0700 .",
        "for dir in */; do",
        '  name="${dir%/}"',
        `  [ -f "$name/${managedMarker}" ] || continue`,
        '  chmod 0700 "$name"',
        '  case " $* " in *" $name "*) ;; *) rm -rf -- "$name" ;; esac',
        "done",
    ].join("\n");
    return {
        name: ctx.name,
        image: ctx.image,
        entrypoints: ["/bin/sh", "-c", prune, "prune"],
        command: configs.map((c) => c.tenant),
        user: "0:0",
        // Runs once and exits; Pulumi waits for it, so no gateway starts before its file exists.
        attach: true,
        mustRun: false,
        restart: "no",
        networkMode: "none",
        labels: toLabels({ [labelKeys.host]: ctx.hostName, [labelKeys.role]: "config-writer" }),
        volumes: [{ hostPath: ctx.configRoot, containerPath: mountPoint }],
        uploads: configs.flatMap((c) => [
            {
                file: `${mountPoint}/${c.tenant}/config.json`,
                content: c.configJson,
                owner: "0",
                group: String(c.uid),
                permissions: "0444",
            },
            {
                file: `${mountPoint}/${c.tenant}/${managedMarker}`,
                content: "written by zeptoclaw-fleet\n",
                owner: "0",
                group: "0",
                permissions: "0444",
            },
        ]),
        memory: 64,
        memorySwap: 64,
        capabilities: { drops: ["ALL"] },
        securityOpts: ["no-new-privileges:true"],
        logDriver: "json-file",
        logOpts: { "max-size": "1m", "max-file": "1" },
    };
}
