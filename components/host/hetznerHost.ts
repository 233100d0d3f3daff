import { createHash } from "node:crypto";
import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as hcloud from "@pulumi/hcloud";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { renderCloudInit } from "../../lib/host/cloudInit";
import { knownHostsLine, pinnedHostKeySshOptions } from "../../lib/host/sshOptions";
import { FleetHost } from "./fleetHost";

export interface HetznerHostArgs {
    /** Stable host name; the server, firewall and key names derive from it. */
    hostName: string;
    /** Hetzner server type, e.g. `cx32`. */
    serverType: string;
    /** Hetzner location, e.g. `fsn1`. */
    location: string;
    /** OS image, e.g. `debian-12`. */
    image: string;
    /** CIDRs allowed to reach SSH (port 22); nothing else is open inbound. */
    sshAllowedCidrs: string[];
    /** Operators' OpenSSH public keys, installed for root. */
    sshPublicKeys: string[];
    /** Delete and rebuild protection on the server. Default: false (true in Pulumi.prod.yaml). */
    protect: boolean;
    /** Labels for the Hetzner objects. */
    labels: Record<string, string>;
}

/**
 * A Hetzner Cloud server running the Docker engine, reached over SSH with a pinned host key.
 * The Docker provider is usable only after cloud-init has finished on the server.
 */
export class HetznerHost extends pulumi.ComponentResource implements FleetHost {
    public readonly hostName: string;
    public readonly dockerProvider: docker.Provider;
    public readonly address: pulumi.Output<string>;
    public readonly dockerHost: pulumi.Output<string>;
    public readonly sshCommand: pulumi.Output<string | undefined>;
    public readonly knownHostsLine: pulumi.Output<string | undefined>;

    constructor(name: string, args: HetznerHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("zeptoclaw-fleet:host:HetznerHost", name, {}, opts);
        this.hostName = args.hostName;
        const parent = { parent: this };

        // Generated here and written by cloud-init, so the very first connection is verified.
        const hostKey = new tls.PrivateKey(`${name}/host-key`, { algorithm: "ED25519" }, parent);

        // Named by fingerprint, not list position: adding or removing a key leaves the others alone.
        const sshKeys = args.sshPublicKeys.map((publicKey) => {
            const id = createHash("sha256").update(publicKey.trim()).digest("hex").slice(0, 12);
            return new hcloud.SshKey(
                `${name}/ssh-${id}`,
                { name: `${args.hostName}-${id}`, publicKey: publicKey.trim(), labels: args.labels },
                parent,
            );
        });

        const firewall = new hcloud.Firewall(
            `${name}/firewall`,
            {
                name: `${args.hostName}-fleet`,
                labels: args.labels,
                rules: [
                    {
                        direction: "in",
                        protocol: "tcp",
                        port: "22",
                        sourceIps: args.sshAllowedCidrs,
                        description: "SSH",
                    },
                ],
            },
            parent,
        );

        const userData = pulumi
            .all([hostKey.privateKeyOpenssh, hostKey.publicKeyOpenssh])
            .apply(([privateKey, publicKey]) =>
                renderCloudInit({ hostKeyPrivateOpenssh: privateKey, hostKeyPublicOpenssh: publicKey }),
            );

        const server = new hcloud.Server(
            `${name}/server`,
            {
                name: args.hostName,
                serverType: args.serverType,
                location: args.location,
                image: args.image,
                sshKeys: sshKeys.map((k) => k.id),
                // Attached at creation: the server is never reachable without its firewall.
                firewallIds: [firewall.id.apply(Number)],
                userData: pulumi.secret(userData),
                publicNets: [{ ipv4Enabled: true, ipv6Enabled: true }],
                labels: args.labels,
                deleteProtection: args.protect,
                rebuildProtection: args.protect,
            },
            {
                parent: this,
                // Both force a new server in the provider, and a new server loses every tenant's
                // data: edits to them must never replace it.
                ignoreChanges: ["userData", "sshKeys"],
            },
        );

        const hostPublicKey = hostKey.publicKeyOpenssh.apply((k) => k.trim());
        const ready = new command.remote.Command(
            `${name}/ready`,
            {
                connection: {
                    host: server.ipv4Address,
                    user: "root",
                    hostKey: hostPublicKey,
                    dialErrorLimit: 60,
                },
                // Exit status 2 means "done, with warnings": what matters is that dockerd answers.
                create: "cloud-init status --wait >/dev/null || test $? -eq 2; docker info --format '{{.ServerVersion}}'",
                triggers: [server.id],
            },
            parent,
        );

        this.address = server.ipv4Address;
        this.dockerHost = pulumi.interpolate`ssh://root@${server.ipv4Address}`;
        this.dockerProvider = new docker.Provider(
            `${name}/docker`,
            {
                host: this.dockerHost,
                sshOpts: pulumi
                    .all([server.ipv4Address, hostPublicKey])
                    .apply(([ip, key]) => pinnedHostKeySshOptions(ip, key)),
            },
            { parent: this, dependsOn: [ready] },
        );
        this.knownHostsLine = pulumi
            .all([server.ipv4Address, hostPublicKey])
            .apply(([ip, key]) => knownHostsLine(ip, key));
        this.sshCommand = pulumi.interpolate`ssh root@${server.ipv4Address}`;
        this.registerOutputs({
            address: this.address,
            dockerHost: this.dockerHost,
            sshCommand: this.sshCommand,
            knownHostsLine: this.knownHostsLine,
        });
    }
}
