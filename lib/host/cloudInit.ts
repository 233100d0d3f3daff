import { stringify } from "yaml";
import { renderDaemonJson } from "./daemonConfig";
import { hostPaths } from "./hostFiles";
import { sshdHardening } from "./sshdHardening";

export interface CloudInitInput {
    /** The server's SSH host key, so the fleet knows it before the first connection. */
    hostKeyPrivateOpenssh: string;
    hostKeyPublicOpenssh: string;
    /** Debian's docker.io version to install; undefined takes the image's current one. */
    dockerPackageVersion?: string;
}

/** What a fleet host needs from Debian: the engine, backups, XFS quotas, security upgrades, alerts. */
export const hostPackages = ["restic", "jq", "xfsprogs", "unattended-upgrades", "curl"] as const;

/**
 * The server's first-boot user data: packages, the pinned SSH host key (so every connection
 * verifies the host instead of trusting on first use), key-only SSH, and Docker's daemon.json
 * before Docker first starts. It is applied once, at creation; everything else, and every later
 * change, is applied by the configure step over SSH (see HetznerHost), because a change here
 * would replace the server.
 */
export function renderCloudInit(input: CloudInitInput): string {
    const docker =
        input.dockerPackageVersion === undefined ? "docker.io" : ["docker.io", input.dockerPackageVersion];
    const document = {
        package_update: true,
        package_upgrade: true,
        packages: [docker, ...hostPackages],
        ssh_pwauth: false,
        ssh_deletekeys: true,
        // Only the type we bring: cloud-init writes our key first and skips generating it.
        ssh_genkeytypes: ["ed25519"],
        ssh_keys: {
            ed25519_private: input.hostKeyPrivateOpenssh,
            ed25519_public: input.hostKeyPublicOpenssh.trim(),
        },
        write_files: [
            {
                path: hostPaths.daemonConfig,
                permissions: "0644",
                content: renderDaemonJson(),
            },
            { path: hostPaths.sshdDropIn, permissions: "0644", content: sshdHardening },
        ],
        runcmd: [
            ["systemctl", "enable", "docker"],
            ["systemctl", "restart", "docker"],
            ["systemctl", "reload", "ssh"],
        ],
    };
    return `#cloud-config\n${stringify(document, { lineWidth: 0 })}`;
}
