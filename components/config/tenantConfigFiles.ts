import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { RenderedTenantConfig, configWriterArgs } from "../../lib/docker/configWriter";
import { LeanContainer } from "../docker/leanContainer";

export interface TenantConfigFilesArgs {
    /** Every tenant of the host with its rendered config (a secret) and its config's SHA-256. */
    configs: ReadonlyArray<RenderedTenantConfig & { sha256: pulumi.Input<string> }>;
    /** Immutable id of the image the writer runs (the ZeptoClaw image: it has a shell). */
    image: pulumi.Input<string>;
    /** Host folder for the files, e.g. /var/lib/zeptoclaw-fleet/tenants. */
    configRoot: string;
    /** Stable host name, for labels. */
    hostName: string;
}

/**
 * The tenants' config.json files on one host, written by one short-lived container. One writer
 * per host, not per tenant: a container is the costliest resource to declare, and a fleet of a
 * thousand tenants should not pay for a thousand more. When any config changes, a new writer
 * (named after the digest of all configs) rewrites the files and the old one is removed; only
 * the containers whose own config changed are replaced.
 */
export class TenantConfigFiles extends pulumi.ComponentResource {
    /** The writer of the current configs: gateways wait for it before they start. */
    public readonly writer: LeanContainer;
    /** Digest of all configs of the host; names the writer. */
    public readonly digest: pulumi.Output<string>;

    constructor(name: string, args: TenantConfigFilesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("zeptoclaw-fleet:config:TenantConfigFiles", name, {}, opts);
        this.digest = pulumi
            .all(args.configs.map((c) => pulumi.output(c.sha256).apply((sha) => `${c.tenant}=${sha}`)))
            .apply((lines) => createHash("sha256").update(lines.join("\n")).digest("hex"));
        this.writer = new LeanContainer(
            `${name}/writer`,
            configWriterArgs(args.configs, {
                name: this.digest.apply((d) => `zc-configs-${d.slice(0, 12)}`),
                image: args.image,
                configRoot: args.configRoot,
                hostName: args.hostName,
            }),
            { parent: this },
        );
        this.registerOutputs({ digest: this.digest });
    }
}
