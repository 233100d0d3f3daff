import * as hcloud from "@pulumi/hcloud";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { SftpTarget } from "../../lib/host/backup";

export interface BackupStorageBoxArgs {
    /** Stable host name; the Storage Box is named `<hostName>-backups`. */
    hostName: string;
    /** Hetzner location, e.g. `fsn1`: the server's, so backups stay in Hetzner's network. */
    location: string;
    /** Storage Box type, e.g. `bx11`. */
    storageBoxType: string;
    /** The Storage Box's own password (required by the Hetzner API); a Pulumi secret. */
    password: pulumi.Input<string>;
    /** Labels for the Hetzner object. */
    labels: Record<string, string>;
}

/**
 * A Hetzner Storage Box holding the host's restic repository, reached over SFTP with a key of
 * its own: the host never holds an operator key, and the box never holds the repository
 * password, so neither side alone can read a backup.
 */
export class BackupStorageBox extends pulumi.ComponentResource {
    /** Where the backup script sends snapshots. */
    public readonly target: pulumi.Output<SftpTarget>;
    /** The host's key for the box (OpenSSH format), a Pulumi secret. */
    public readonly sshPrivateKey: pulumi.Output<string>;

    constructor(name: string, args: BackupStorageBoxArgs, opts?: pulumi.ComponentResourceOptions) {
        super("zeptoclaw-fleet:backup:BackupStorageBox", name, {}, opts);
        // Hetzner cannot change a Storage Box's keys in place (a new key replaces the box), so the
        // key is generated once and kept in the stack's state.
        const key = new tls.PrivateKey(`${name}/ssh-key`, { algorithm: "ED25519" }, { parent: this });
        const box = new hcloud.StorageBox(
            `${name}/box`,
            {
                name: `${args.hostName}-backups`,
                location: args.location,
                storageBoxType: args.storageBoxType,
                password: args.password,
                sshKeys: [key.publicKeyOpenssh.apply((k) => k.trim())],
                accessSettings: { sshEnabled: true, reachableExternally: false },
                deleteProtection: true,
                labels: args.labels,
            },
            // The only copy of every backup: protected whatever the host's protection says.
            { parent: this, protect: true, retainOnDelete: true },
        );
        this.target = pulumi.all([box.username, box.server]).apply(([user, server]): SftpTarget => ({
            kind: "sftp",
            user,
            host: server,
            // Port 23 serves SFTP for key logins on every Storage Box.
            port: 23,
            path: `zeptoclaw-fleet/${args.hostName}`,
            // Hetzner does not publish a box's host key through the API: it is learnt on the
            // first connection. restic authenticates all it reads with the repository key.
            hostKeyChecking: "accept-new",
        }));
        this.sshPrivateKey = pulumi.secret(key.privateKeyOpenssh);
        this.registerOutputs({ target: this.target, sshPrivateKey: this.sshPrivateKey });
    }
}
