import { createHash } from "node:crypto";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { gatewayContainerArgs, initContainerArgs, labelKeys } from "../../lib/docker/tenantContainers";
import { tenantNames } from "../../lib/docker/tenantNames";
import { Tenant } from "../../lib/tenants/tenant";
import { renderZeptoClawConfigJson } from "../../lib/zeptoclaw/renderConfig";

export interface ZeptoClawTenantArgs {
    /** The validated tenant (from its file in tenants/). */
    tenant: Tenant;
    /** Values of the secrets the tenant references, by name; each a Pulumi secret. */
    secrets: Record<string, pulumi.Output<string>>;
    /** Immutable id of the ZeptoClaw image on this tenant's host. */
    image: pulumi.Input<string>;
    /** ZeptoClaw version, for the `com.zeptoclaw.version` label. */
    version: string;
    /** Environment name, for the `com.zeptoclaw.env` label. */
    environment: string;
    /** Stable name of the host the tenant runs on, for labels. */
    hostName: string;
    /** Name of the host's tenant network (inter-container traffic off). */
    network: pulumi.Input<string>;
    /** Host folder under which each tenant's config.json is written, e.g. /var/lib/zeptoclaw-fleet/tenants. */
    configRoot: string;
}

/**
 * One tenant: its data volume, the init container that delivers its config and prepares the
 * volume, and its gateway container. Four resources with this component, whatever the fleet size.
 */
export class ZeptoClawTenant extends pulumi.ComponentResource {
    /** The tenant's name, as in its file. */
    public readonly tenantName: string;
    /** The gateway container's name, `zc-<tenant>`. */
    public readonly containerName: pulumi.Output<string>;
    /** The data volume's name, `<tenant>-data`; it outlives the tenant's removal from the list. */
    public readonly volumeName: pulumi.Output<string>;
    /** SHA-256 of the rendered config, also a container label: shows which config runs. */
    public readonly configSha256: pulumi.Output<string>;

    constructor(name: string, args: ZeptoClawTenantArgs, opts?: pulumi.ComponentResourceOptions) {
        super("zeptoclaw-fleet:tenant:ZeptoClawTenant", name, {}, opts);
        const { tenant } = args;
        this.tenantName = tenant.name;
        const names = tenantNames(tenant.name, args.configRoot);

        // Kept when the tenant leaves the list: deleting a tenant's data is an explicit purge.
        const volume = new docker.Volume(
            `${name}/data`,
            {
                name: names.volume,
                labels: [
                    { label: labelKeys.tenant, value: tenant.name },
                    { label: labelKeys.host, value: args.hostName },
                ],
            },
            { parent: this, retainOnDelete: true },
        );

        const configJson = pulumi.secret(
            pulumi.all(args.secrets).apply((values) => renderZeptoClawConfigJson(tenant.zeptoclaw, values)),
        );
        // A digest of a document holding high-entropy keys reveals none of them; shown in previews.
        const configSha256 = pulumi.unsecret(configJson.apply((json) => createHash("sha256").update(json).digest("hex")));

        const ctx = {
            image: args.image,
            version: args.version,
            environment: args.environment,
            hostName: args.hostName,
            network: args.network,
            volume: volume.name,
            names,
        };
        // Containers have fixed names, so a replacement must remove the old one first.
        const init = new docker.Container(`${name}/init`, initContainerArgs(tenant, ctx, configJson), {
            parent: this,
            deleteBeforeReplace: true,
        });
        const gateway = new docker.Container(`${name}/gateway`, gatewayContainerArgs(tenant, ctx, configSha256), {
            parent: this,
            deleteBeforeReplace: true,
            dependsOn: [init],
            // The provider neither updates these in place nor replaces the container for them.
            replaceOnChanges: ["healthcheck", "tmpfs"],
        });

        this.containerName = gateway.name;
        this.volumeName = volume.name;
        this.configSha256 = configSha256;
        this.registerOutputs({
            containerName: this.containerName,
            volumeName: this.volumeName,
            configSha256: this.configSha256,
        });
    }
}
