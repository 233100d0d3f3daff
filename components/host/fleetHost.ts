import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

/** What the rest of the program needs from a host, whatever kind it is. */
export interface FleetHost extends pulumi.ComponentResource {
    /** Stable host name; resource names derive from it. */
    readonly hostName: string;
    /** The Docker provider that reaches this host's engine, ready to use. */
    readonly dockerProvider: docker.Provider;
    /** Address operators reach the host at. */
    readonly address: pulumi.Output<string>;
    /** What to export as DOCKER_HOST to run docker commands against this host. */
    readonly dockerHost: pulumi.Output<string>;
    /** A command that opens a shell on the host, when it has SSH. */
    readonly sshCommand: pulumi.Output<string | undefined>;
    /** The host's known_hosts line, when it has SSH: add it to ~/.ssh/known_hosts before `ssh`. */
    readonly knownHostsLine: pulumi.Output<string | undefined>;
}
