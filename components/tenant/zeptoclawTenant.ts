import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { labelKeys } from "../../lib/docker/labels";
import { LeanContainer } from "../docker/leanContainer";
import { dataOwnerArgs } from "../../lib/docker/dataOwner";
import { gatewayContainerArgs } from "../../lib/docker/tenantContainers";
import { TenantHostRuntime } from "../../lib/docker/tenantHostRuntime";
import { tenantNames } from "../../lib/docker/tenantNames";
import { Tenant } from "../../lib/tenants/tenant";

export interface ZeptoClawTenantArgs {
    /** The validated tenant (from its file in tenants/). */
    tenant: Tenant;
    /** SHA-256 of the tenant's rendered config; a change replaces the container. */
    configSha256: pulumi.Input<string>;
    /** The resource that writes the config file; the container starts after it. */
    configFiles: pulumi.Resource;
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
    /** What the host offers the container: the tenant's slice, AppArmor. */
    runtime: TenantHostRuntime;
}

/**
 * One tenant: its data volume, the one-shot container that gives the volume to the tenant's uid,
 * and its gateway container. Four resources with this component.
 */
export class ZeptoClawTenant extends pulumi.ComponentResource {
    /** The tenant's name, as in its file. */
    public readonly tenantName: string;
    /** The gateway container's name, `zc-<tenant>`. */
    public readonly containerName: pulumi.Output<string>;
    /** The data volume's name, `<tenant>-data`; it outlives the tenant's removal from the list. */
    public readonly volumeName: pulumi.Output<string>;
    /**
     * The URNs of its volume and container, known once both are registered with the engine (in a
     * preview too: a URN is never unknown). It says when, not what, so it is not an output of the
     * component: lib/runtime/registrationWindow.ts waits on it.
     */
    public readonly registeredUrns: pulumi.Output<string[]>;

    constructor(name: string, args: ZeptoClawTenantArgs, opts?: pulumi.ComponentResourceOptions) {
        super("zeptoclaw-fleet:tenant:ZeptoClawTenant", name, {}, opts);
        const { tenant } = args;
        this.tenantName = tenant.name;
        const names = tenantNames(tenant.name, args.configRoot, tenant.volume);

        // Kept when the tenant leaves the list: deleting a tenant's data is an explicit purge.
        // Its inputs never change, so it is never replaced either. Labels are ignored once it
        // exists: an adopted volume (the seed's compose volume) keeps the labels it was created
        // with, the provider reads those back (resource_docker_volume.go) and labels force a new
        // volume, so without this every `pulumi up` would plan to replace it.
        const volume = new docker.Volume(
            `${name}/data`,
            { name: names.volume, labels: [{ label: labelKeys.tenant, value: tenant.name }] },
            { parent: this, retainOnDelete: true, ignoreChanges: ["labels"] },
        );

        // It keeps the image it first ran: a new image need not run the step again, and running
        // it on every upgrade would add its run to each tenant's. A new uid (its command) or a
        // new volume replaces it, delete first, its name being fixed.
        const dataOwner = new LeanContainer(
            `${name}/data-owner`,
            dataOwnerArgs(tenant, { image: args.image, hostName: args.hostName, volume: volume.name, names }),
            { parent: this, deleteBeforeReplace: true, ignoreChanges: ["image"] },
        );

        const gateway = new LeanContainer(
            `${name}/gateway`,
            gatewayContainerArgs(
                tenant,
                {
                    image: args.image,
                    version: args.version,
                    environment: args.environment,
                    hostName: args.hostName,
                    network: args.network,
                    volume: volume.name,
                    names,
                    runtime: args.runtime,
                },
                args.configSha256,
            ),
            {
                parent: this,
                dependsOn: [args.configFiles, dataOwner],
                // The name is fixed, so a replacement must remove the old container first.
                deleteBeforeReplace: true,
                // The provider neither updates these in place nor replaces the container for them.
                replaceOnChanges: ["healthcheck", "tmpfs"],
            },
        );

        this.containerName = gateway.name;
        this.volumeName = volume.name;
        this.registeredUrns = pulumi.all([volume.urn, dataOwner.urn, gateway.urn]);
        this.registerOutputs({ containerName: this.containerName, volumeName: this.volumeName });
    }
}
