import { alertsPaths, renderAlertsScript, renderAlertsService, renderAlertsTimer } from "./alerts";
import { backupPaths, renderBackupScript, renderBackupService, renderBackupTimer } from "./backup";
import { renderDaemonJson } from "./daemonConfig";
import { dockerNeedsDataVolume } from "./dataVolume";
import { pidsLimitPaths, renderPidsLimitScript, renderPidsLimitService } from "./pidsLimit";
import { sshdHardening } from "./sshdHardening";
import { SliceTenant, tenantSliceFiles } from "../docker/tenantSlice";
import { renderTenantFirewallScript, renderTenantFirewallUnit } from "./tenantFirewall";
import { renderWatchdogScript, renderWatchdogService, renderWatchdogTimer } from "./watchdog";

/** A file the program keeps on the host; content may be a secret (the caller keeps it wrapped). */
export interface HostFile {
    path: string;
    mode: "0644" | "0600" | "0755";
    content: string;
}

/** Paths the configure script reacts to when they change. */
export const hostPaths = {
    daemonConfig: "/etc/docker/daemon.json",
    dockerDropIn: "/etc/systemd/system/docker.service.d/50-zeptoclaw-fleet-data.conf",
    sshdDropIn: "/etc/ssh/sshd_config.d/50-zeptoclaw-fleet.conf",
    authorizedKeys: "/root/.ssh/authorized_keys",
    firewallScript: "/usr/local/sbin/zeptoclaw-fleet-firewall",
    firewallUnit: "zeptoclaw-fleet-firewall.service",
    watchdogScript: "/usr/local/sbin/zeptoclaw-fleet-watchdog",
    watchdogTimer: "zeptoclaw-fleet-watchdog.timer",
    aptDockerPin: "/etc/apt/preferences.d/50-zeptoclaw-fleet-docker",
    autoUpgrades: "/etc/apt/apt.conf.d/20auto-upgrades",
} as const;

/** What is backed up where; the file contents are secrets. */
export interface HostBackupFiles {
    /** From renderBackupEnv. */
    env: string;
    /** The restic repository password. */
    password: string;
    /** OpenSSH private key for an SFTP repository. */
    sshPrivateKey?: string;
    /** systemd OnCalendar expression. */
    schedule: string;
}

export interface HostFilesInput {
    /** Operators' OpenSSH public keys: root's authorized_keys, replaced as a whole. */
    sshPublicKeys: string[];
    /** Whether tenant data is on a data Volume that Docker must wait for. */
    dataVolume: boolean;
    backup?: HostBackupFiles;
    /** The alert settings (renderAlertsEnv), a secret: they hold the channels' credentials. */
    alertsEnv?: string;
    /** The host's tenants: each gets its slice with its process limit. Default: none. */
    tenants?: ReadonlyArray<SliceTenant>;
}

/**
 * Docker from Debian's own archive only: a package of the same name from any other source that
 * an image or an operator adds never replaces it. Security updates from Debian still apply.
 */
export const aptDockerPin = `Package: docker.io containerd runc
Pin: release o=Debian
Pin-Priority: 1000
`;

/** Daily package lists and unattended upgrades, with Debian's default: security updates only. */
export const autoUpgrades = `APT::Periodic::Update-Package-Lists "1";
APT::Periodic::Unattended-Upgrade "1";
`;

/** Every file a fleet host carries, as the configure step writes it on each `pulumi up`. */
export function renderHostFiles(input: HostFilesInput): HostFile[] {
    const files: HostFile[] = [
        {
            path: hostPaths.daemonConfig,
            mode: "0644",
            content: renderDaemonJson(),
        },
        { path: hostPaths.sshdDropIn, mode: "0644", content: sshdHardening },
        {
            path: hostPaths.authorizedKeys,
            mode: "0600",
            content: `${input.sshPublicKeys.map((k) => k.trim()).join("\n")}\n`,
        },
        { path: hostPaths.aptDockerPin, mode: "0644", content: aptDockerPin },
        { path: hostPaths.autoUpgrades, mode: "0644", content: autoUpgrades },
        { path: hostPaths.firewallScript, mode: "0755", content: renderTenantFirewallScript() },
        {
            path: `/etc/systemd/system/${hostPaths.firewallUnit}`,
            mode: "0644",
            content: renderTenantFirewallUnit(hostPaths.firewallScript),
        },
        { path: hostPaths.watchdogScript, mode: "0755", content: renderWatchdogScript() },
        {
            path: "/etc/systemd/system/zeptoclaw-fleet-watchdog.service",
            mode: "0644",
            content: renderWatchdogService(hostPaths.watchdogScript),
        },
        {
            path: `/etc/systemd/system/${hostPaths.watchdogTimer}`,
            mode: "0644",
            content: renderWatchdogTimer(),
        },
        { path: pidsLimitPaths.script, mode: "0755", content: renderPidsLimitScript() },
        {
            path: `/etc/systemd/system/${pidsLimitPaths.unit}`,
            mode: "0644",
            content: renderPidsLimitService(pidsLimitPaths.script),
        },
    ];
    files.push(...tenantSliceFiles(input.tenants ?? []));
    if (input.dataVolume) {
        files.push({ path: hostPaths.dockerDropIn, mode: "0644", content: dockerNeedsDataVolume });
    }
    if (input.backup) {
        files.push(
            { path: backupPaths.script, mode: "0755", content: renderBackupScript() },
            { path: backupPaths.env, mode: "0600", content: input.backup.env },
            { path: backupPaths.passwordFile, mode: "0600", content: `${input.backup.password}\n` },
            {
                path: `/etc/systemd/system/${backupPaths.service}`,
                mode: "0644",
                content: renderBackupService(backupPaths.script),
            },
            {
                path: `/etc/systemd/system/${backupPaths.timer}`,
                mode: "0644",
                content: renderBackupTimer(input.backup.schedule),
            },
        );
        if (input.backup.sshPrivateKey !== undefined) {
            files.push({ path: backupPaths.sshKey, mode: "0600", content: input.backup.sshPrivateKey });
        }
    }
    if (input.alertsEnv !== undefined) {
        files.push(
            { path: alertsPaths.script, mode: "0755", content: renderAlertsScript() },
            { path: alertsPaths.env, mode: "0600", content: input.alertsEnv },
            {
                path: `/etc/systemd/system/${alertsPaths.service}`,
                mode: "0644",
                content: renderAlertsService(alertsPaths.script),
            },
            {
                path: `/etc/systemd/system/${alertsPaths.timer}`,
                mode: "0644",
                content: renderAlertsTimer(),
            },
        );
    }
    return files;
}
