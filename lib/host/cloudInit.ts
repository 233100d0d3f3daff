import { stringify } from "yaml";
import { renderDaemonConfig } from "./daemonConfig";
import { renderTenantFirewallScript, renderTenantFirewallUnit } from "./tenantFirewall";
import { renderWatchdogScript, renderWatchdogService, renderWatchdogTimer } from "./watchdog";

const firewallScript = "/usr/local/sbin/zeptoclaw-fleet-firewall";
const firewallUnit = "zeptoclaw-fleet-firewall.service";
const watchdogScript = "/usr/local/sbin/zeptoclaw-fleet-watchdog";
const watchdogTimer = "zeptoclaw-fleet-watchdog.timer";

export interface CloudInitInput {
    /** The server's SSH host key, so the fleet knows it before the first connection. */
    hostKeyPrivateOpenssh: string;
    hostKeyPublicOpenssh: string;
}

/** The ssh daemon drop-in: keys only, never passwords. */
export const sshdHardening = [
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitRootLogin prohibit-password",
    "",
].join("\n");

/**
 * The server's user data. It installs and configures the Docker engine and pins the SSH host key
 * to one we generated, so that every connection verifies the host instead of trusting on first
 * use. It is applied once, at creation: later edits do not replace the server (see HetznerHost).
 */
export function renderCloudInit(input: CloudInitInput): string {
    const document = {
        package_update: true,
        package_upgrade: true,
        packages: ["docker.io", "unattended-upgrades"],
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
                path: "/etc/docker/daemon.json",
                permissions: "0644",
                content: `${JSON.stringify(renderDaemonConfig(), null, 2)}\n`,
            },
            {
                path: "/etc/ssh/sshd_config.d/50-zeptoclaw-fleet.conf",
                permissions: "0644",
                content: sshdHardening,
            },
            { path: firewallScript, permissions: "0755", content: renderTenantFirewallScript() },
            {
                path: `/etc/systemd/system/${firewallUnit}`,
                permissions: "0644",
                content: renderTenantFirewallUnit(firewallScript),
            },
            { path: watchdogScript, permissions: "0755", content: renderWatchdogScript() },
            {
                path: "/etc/systemd/system/zeptoclaw-fleet-watchdog.service",
                permissions: "0644",
                content: renderWatchdogService(watchdogScript),
            },
            {
                path: `/etc/systemd/system/${watchdogTimer}`,
                permissions: "0644",
                content: renderWatchdogTimer(),
            },
        ],
        runcmd: [
            ["systemctl", "enable", "docker"],
            ["systemctl", "restart", "docker"],
            ["systemctl", "daemon-reload"],
            ["systemctl", "enable", "--now", firewallUnit],
            ["systemctl", "enable", "--now", watchdogTimer],
            ["systemctl", "reload", "ssh"],
        ],
    };
    return `#cloud-config\n${stringify(document, { lineWidth: 0 })}`;
}
