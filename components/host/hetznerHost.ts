import { createHash } from "node:crypto";
import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as hcloud from "@pulumi/hcloud";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { AlertChannels } from "../../lib/config/alertSettings";
import { AlertThresholds, renderAlertsEnv } from "../../lib/host/alerts";
import { BackupEnvInput, S3Target, SftpTarget, renderBackupEnv } from "../../lib/host/backup";
import { renderCloudInit } from "../../lib/host/cloudInit";
import { renderConfigureScript } from "../../lib/host/configureHost";
import { SliceTenant } from "../../lib/docker/tenantSlice";
import { renderHostFiles } from "../../lib/host/hostFiles";
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
    /** CIDRs allowed to reach SSH (port 22); nothing else is open inbound but the webhooks' 80 and 443. */
    sshAllowedCidrs: string[];
    /** Operators' OpenSSH public keys, installed for root. */
    sshPublicKeys: string[];
    /** Delete and rebuild protection on the server and firewall. Default: false (true in Pulumi.prod.yaml). */
    protect: boolean;
    /** Size in GB of the Volume holding tenant data; always protected, whatever `protect` says. */
    dataVolumeGb: number;
    /** Debian's docker.io version installed at creation; undefined takes the image's current one. */
    dockerPackageVersion?: string;
    /** Nightly backups; undefined means none. */
    backup?: HostBackupArgs;
    /** Alerts to the operator; undefined means none. */
    alerts?: HostAlertArgs;
    /** The host's tenants: their slices (process limits), and their uids in the alerts' quota report. */
    tenants: ReadonlyArray<SliceTenant & { uid: number }>;
    /** Bash run at the end of every configure step (e.g. tenant disk quotas). Default: none. */
    configureFinally?: pulumi.Input<string>;
    /** Whether the host serves inbound webhooks: HTTP and HTTPS open to everyone. Default: false. */
    webhooks?: boolean;
    /** Labels for the Hetzner objects. */
    labels: Record<string, string>;
}

/** Where and how the host backs up tenant data. */
export interface HostBackupArgs {
    target: pulumi.Input<SftpTarget | S3Target>;
    /** restic repository password, a Pulumi secret. */
    password: pulumi.Input<string>;
    /** The host's key for an SFTP target, a Pulumi secret. */
    sshPrivateKey?: pulumi.Input<string>;
    /** S3 credentials for an S3 target, Pulumi secrets. */
    s3Credentials?: pulumi.Input<{ accessKeyId: string; secretAccessKey: string }>;
    retention: BackupEnvInput["retention"];
    /** systemd OnCalendar expression, e.g. `*-*-* 03:00:00`. */
    schedule: string;
}

/** Where the host's alerts go and when it sends them. */
export interface HostAlertArgs {
    /** Each value a Pulumi secret. */
    channels: AlertChannels<pulumi.Input<string>>;
    thresholds: AlertThresholds;
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
                    // The webhook proxy: HTTPS for Meta, HTTP for ACME's HTTP-01 challenge
                    // (lib/host/webhookProxy.ts). Tenants' listeners stay on loopback.
                    ...(args.webhooks === true
                        ? (["80", "443"] as const).map((port) => ({
                              direction: "in",
                              protocol: "tcp",
                              port,
                              sourceIps: ["0.0.0.0/0", "::/0"],
                              description: port === "80" ? "Webhooks (ACME HTTP-01)" : "Webhooks (HTTPS)",
                          }))
                        : []),
                ],
            },
            // Hetzner has no delete protection for firewalls; Pulumi's protect stands in for it.
            { parent: this, protect: args.protect },
        );

        // Data that must outlive any server: the public IPv4 (the Docker provider's address, so a
        // new server does not re-create every container) and the Volume with every tenant's data.
        // Both are protected in Hetzner and in Pulumi, and kept if removed from the program.
        const keep = { parent: this, protect: true, retainOnDelete: true };
        const ipv4 = new hcloud.PrimaryIp(
            `${name}/ipv4`,
            {
                name: `${args.hostName}-ipv4`,
                type: "ipv4",
                assigneeType: "server",
                location: args.location,
                autoDelete: false,
                deleteProtection: true,
                labels: args.labels,
            },
            keep,
        );
        const dataVolume = new hcloud.Volume(
            `${name}/data`,
            {
                name: `${args.hostName}-data`,
                size: args.dataVolumeGb,
                location: args.location,
                format: "xfs",
                deleteProtection: true,
                labels: args.labels,
            },
            keep,
        );

        const userData = pulumi
            .all([hostKey.privateKeyOpenssh, hostKey.publicKeyOpenssh])
            .apply(([privateKey, publicKey]) =>
                renderCloudInit({
                    hostKeyPrivateOpenssh: privateKey,
                    hostKeyPublicOpenssh: publicKey,
                    dockerPackageVersion: args.dockerPackageVersion,
                }),
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
                publicNets: [{ ipv4Enabled: true, ipv4: ipv4.id.apply(Number), ipv6Enabled: true }],
                labels: args.labels,
                deleteProtection: args.protect,
                rebuildProtection: args.protect,
            },
            {
                parent: this,
                // Both force a new server in the provider; their later edits reach the running
                // host through the configure step instead.
                ignoreChanges: ["userData", "sshKeys"],
                // The primary IP and the data Volume can serve one server at a time.
                deleteBeforeReplace: true,
            },
        );
        const attachment = new hcloud.VolumeAttachment(
            `${name}/data-attachment`,
            { volumeId: dataVolume.id.apply(Number), serverId: server.id.apply(Number), automount: false },
            { parent: this, deleteBeforeReplace: true },
        );

        const hostPublicKey = hostKey.publicKeyOpenssh.apply((k) => k.trim());
        const connection = {
            host: ipv4.ipAddress,
            user: "root",
            hostKey: hostPublicKey,
            dialErrorLimit: 60,
        };
        const ready = new command.remote.Command(
            `${name}/ready`,
            {
                connection,
                // Exit status 2 means "done, with warnings": what matters is that dockerd answers.
                create: "cloud-init status --wait >/dev/null || test $? -eq 2; docker info --format '{{.ServerVersion}}'",
                triggers: [server.id],
            },
            parent,
        );

        // Every host file (SSH keys, daemon.json, firewall, watchdog, backups) on every up, without
        // replacing the server; Docker starts tenants only after this, on the mounted Volume.
        const backup = args.backup;
        const alerts = args.alerts;
        const alertsEnv = alerts
            ? pulumi
                  .all([
                      alerts.channels.webhookUrl,
                      alerts.channels.telegram?.botToken,
                      alerts.channels.telegram?.chatId,
                  ])
                  .apply(([webhookUrl, botToken, chatId]) =>
                      renderAlertsEnv({
                          hostName: args.hostName,
                          channels: {
                              webhookUrl,
                              telegram:
                                  botToken !== undefined && chatId !== undefined
                                      ? { botToken, chatId }
                                      : undefined,
                          },
                          thresholds: alerts.thresholds,
                          tenants: args.tenants.map((t) => ({ name: t.name, uid: t.uid })),
                      }),
                  )
            : undefined;
        const script = pulumi
            .all([
                backup ? pulumi.output(backup.target) : undefined,
                backup?.password,
                backup?.sshPrivateKey,
                backup?.s3Credentials,
                dataVolume.id,
                args.configureFinally,
                alertsEnv,
            ])
            .apply(
                ([target, password, sshPrivateKey, s3Credentials, volumeId, configureFinally, alertsText]) =>
                    renderConfigureScript({
                        files: renderHostFiles({
                            sshPublicKeys: args.sshPublicKeys,
                            dataVolume: true,
                            tenants: args.tenants,
                            backup:
                                backup && target && password
                                    ? {
                                          env: renderBackupEnv({
                                              target,
                                              hostName: args.hostName,
                                              retention: backup.retention,
                                              s3Credentials,
                                          }),
                                          password,
                                          sshPrivateKey,
                                          schedule: backup.schedule,
                                      }
                                    : undefined,
                            alertsEnv: alertsText,
                        }),
                        dataVolumeId: volumeId,
                        backup: backup !== undefined,
                        alerts: alertsText !== undefined,
                        finally: configureFinally,
                    }),
            );
        const configure = new command.remote.Command(
            `${name}/configure`,
            {
                connection,
                create: "bash -s",
                stdin: pulumi.secret(script),
                // A new server starts from cloud-init alone: configure it again.
                triggers: [server.id],
            },
            { parent: this, dependsOn: [ready, attachment] },
        );

        this.address = ipv4.ipAddress;
        this.dockerHost = pulumi.interpolate`ssh://root@${ipv4.ipAddress}`;
        this.dockerProvider = new docker.Provider(
            `${name}/docker`,
            {
                host: this.dockerHost,
                sshOpts: pulumi
                    .all([ipv4.ipAddress, hostPublicKey])
                    .apply(([ip, key]) => pinnedHostKeySshOptions(ip, key)),
            },
            { parent: this, dependsOn: [configure] },
        );
        this.knownHostsLine = pulumi
            .all([ipv4.ipAddress, hostPublicKey])
            .apply(([ip, key]) => knownHostsLine(ip, key));
        this.sshCommand = pulumi.interpolate`ssh root@${ipv4.ipAddress}`;
        this.registerOutputs({
            address: this.address,
            dockerHost: this.dockerHost,
            sshCommand: this.sshCommand,
            knownHostsLine: this.knownHostsLine,
        });
    }
}
