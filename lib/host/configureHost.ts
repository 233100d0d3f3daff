import { alertsPaths } from "./alerts";
import { backupPaths } from "./backup";
import { renderDataVolumeMount } from "./dataVolume";
import { pidsLimitPaths } from "./pidsLimit";
import { HostFile, hostPaths } from "./hostFiles";

export interface ConfigureHostInput {
    files: HostFile[];
    /** The Hetzner Volume holding tenant data, mounted before Docker runs any tenant. */
    dataVolumeId?: string | number;
    /** Whether the nightly backup timer runs (its files are among `files`). */
    backup: boolean;
    /** Whether the alert timer runs (its files are among `files`). Default: false. */
    alerts?: boolean;
    /** Extra bash run last, e.g. applying tenant disk quotas. */
    finally?: string;
}

/**
 * The script that brings a running host to what the program declares, run over SSH on every
 * `pulumi up` whose host files changed (cloud-init runs only once, at creation, and changing it
 * would replace the server). It is idempotent: it rewrites only files whose content or mode
 * differ, and restarts only what reads them. Docker restarts with live-restore, so tenants keep
 * running; sshd is reloaded only after `sshd -t` accepts its configuration.
 */
export function renderConfigureScript(input: ConfigureHostInput): string {
    const writes = input.files
        .map(
            (f) =>
                `put ${f.path} ${f.mode} <<'ZEPTOCLAW_FLEET_EOF'\n${Buffer.from(f.content).toString("base64")}\nZEPTOCLAW_FLEET_EOF`,
        )
        .join("\n");
    const optional = [
        { timer: backupPaths.timer, on: input.backup },
        { timer: alertsPaths.timer, on: input.alerts ?? false },
    ];
    const units = [
        hostPaths.firewallUnit,
        pidsLimitPaths.unit,
        hostPaths.watchdogTimer,
        ...optional.filter((t) => t.on).map((t) => t.timer),
    ];
    const disabled = optional
        .filter((t) => !t.on)
        .map(
            (t) =>
                `if systemctl is-enabled --quiet ${t.timer} 2>/dev/null; then\n    systemctl disable --now ${t.timer}\nfi\n`,
        )
        .join("");
    // The alert script posts with curl, which cloud-init installs only on servers created since.
    const curl = input.alerts
        ? "command -v curl >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q curl; }\n"
        : "";
    return `#!/bin/bash
# Written by zeptoclaw-fleet: bring this host's files and services to what the program declares.
set -euo pipefail
shopt -s inherit_errexit

die() {
    echo "zeptoclaw-fleet configure: $*" >&2
    exit 1
}

changed=()

# put PATH MODE < base64: replaces PATH atomically when its content or mode differs.
put() {
    local path=$1 mode=$2 tmp
    install -d -m 0755 "$(dirname "$path")"
    tmp=$(mktemp "$path.XXXXXX")
    base64 -d >"$tmp"
    chmod "$mode" "$tmp"
    if [[ -f $path ]] && cmp -s "$tmp" "$path" && [[ $(stat -c %a "$path") == "\${mode#0}" ]]; then
        rm -f "$tmp"
        return 0
    fi
    mv -f "$tmp" "$path"
    changed+=("$path")
}

was_changed() {
    local p
    for p in "\${changed[@]}"; do
        [[ $p == "$1" ]] && return 0
    done
    return 1
}

${input.dataVolumeId === undefined ? "" : renderDataVolumeMount(input.dataVolumeId)}
install -d -m 0700 /root/.ssh
${writes}

((\${#changed[@]} == 0)) || systemctl daemon-reload
${input.dataVolumeId === undefined ? "" : "mount_data_volume\n"}if was_changed ${hostPaths.daemonConfig}; then
    systemctl restart docker.service
fi
if was_changed ${hostPaths.sshdDropIn}; then
    sshd -t || die "sshd refused its new configuration; it keeps running with the old one"
    systemctl reload ssh.service
fi
if was_changed ${hostPaths.firewallScript} || was_changed /etc/systemd/system/${hostPaths.firewallUnit}; then
    systemctl restart ${hostPaths.firewallUnit}
fi
if was_changed ${pidsLimitPaths.script} || was_changed /etc/systemd/system/${pidsLimitPaths.unit}; then
    systemctl restart ${pidsLimitPaths.unit}
fi
${curl}systemctl enable --now ${units.join(" ")}
${disabled}${input.finally ?? ""}
echo "configured: \${#changed[@]} changed file(s)\${changed[*]:+: \${changed[*]}}"
`;
}
