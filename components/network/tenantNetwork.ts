import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { labelKeys } from "../../lib/docker/labels";
import { tenantNetworkName } from "../../lib/docker/network";

export interface TenantNetworkArgs {
    /** Stable host name, for the label. */
    hostName: string;
    /** Optional subnet (CIDR); by default Docker picks one from its address pools. */
    subnet?: string;
}

/**
 * The one network all tenants of a host share, with inter-container traffic off: tenants reach
 * the internet (Telegram, Anthropic) but not each other. One network, not one per tenant, because
 * Docker's default address pools run out at about 28 networks.
 */
export class TenantNetwork extends pulumi.ComponentResource {
    /** The network's name, to attach containers to. */
    public readonly networkName: pulumi.Output<string>;

    constructor(name: string, args: TenantNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("zeptoclaw-fleet:network:TenantNetwork", name, {}, opts);
        const network = new docker.Network(
            `${name}/bridge`,
            {
                name: tenantNetworkName,
                driver: "bridge",
                options: {
                    "com.docker.network.bridge.enable_icc": "false",
                    "com.docker.network.bridge.name": tenantNetworkName,
                },
                ipamConfigs: args.subnet === undefined ? undefined : [{ subnet: args.subnet }],
                labels: [{ label: labelKeys.host, value: args.hostName }],
            },
            { parent: this },
        );
        this.networkName = network.name;
        this.registerOutputs({ networkName: this.networkName });
    }
}
