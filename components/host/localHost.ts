import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { FleetHost } from "./fleetHost";

export interface LocalHostArgs {
    /** Stable host name, e.g. `local`. */
    hostName: string;
    /** The engine's address, e.g. `unix:///var/run/docker.sock` (the default in Pulumi.yaml). */
    dockerHost: string;
}

/** The dev stack's host: a Docker engine the operator already runs, no cloud account. */
export class LocalHost extends pulumi.ComponentResource implements FleetHost {
    public readonly hostName: string;
    public readonly dockerProvider: docker.Provider;
    public readonly address: pulumi.Output<string>;
    public readonly dockerHost: pulumi.Output<string>;
    public readonly sshCommand: pulumi.Output<string | undefined>;
    public readonly knownHostsLine: pulumi.Output<string | undefined>;

    constructor(name: string, args: LocalHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("zeptoclaw-fleet:host:LocalHost", name, {}, opts);
        this.hostName = args.hostName;
        this.dockerProvider = new docker.Provider(
            `${name}/docker`,
            { host: args.dockerHost },
            { parent: this },
        );
        this.address = pulumi.output("localhost");
        this.dockerHost = pulumi.output(args.dockerHost);
        this.sshCommand = pulumi.output(undefined);
        this.knownHostsLine = pulumi.output(undefined);
        this.registerOutputs({
            address: this.address,
            dockerHost: this.dockerHost,
            sshCommand: this.sshCommand,
            knownHostsLine: this.knownHostsLine,
        });
    }
}
