import { labelKeys } from "../docker/labels";

/**
 * A host-side script that restarts tenant gateways Docker reports unhealthy. Docker's restart
 * policies act only when a container exits; a gateway that hangs stays "unhealthy" forever. The
 * script runs on the host (a systemd timer), so no container ever needs the Docker socket.
 */
export function renderWatchdogScript(): string {
    return `#!/bin/sh
# Written by zeptoclaw-fleet: restart tenant gateways that are running but unhealthy.
set -eu

docker ps --quiet --filter "label=${labelKeys.role}=gateway" --filter health=unhealthy |
    while read -r id; do
        name=$(docker inspect --format '{{.Name}}' "$id")
        logger -t zeptoclaw-fleet-watchdog "restarting unhealthy tenant container $name" 2>/dev/null || true
        echo "restarting unhealthy tenant container $name"
        docker restart --time 10 "$id" >/dev/null
    done
`;
}

export function renderWatchdogService(scriptPath: string): string {
    return `[Unit]
Description=zeptoclaw-fleet: restart unhealthy tenant containers
After=docker.service
Requires=docker.service

[Service]
Type=oneshot
ExecStart=${scriptPath}
`;
}

/** Every 30 s: an unhealthy tenant is restarted within 30 s of Docker marking it unhealthy. */
export function renderWatchdogTimer(): string {
    return `[Unit]
Description=zeptoclaw-fleet: look for unhealthy tenant containers every 30 s

[Timer]
OnBootSec=1min
OnUnitActiveSec=30s
AccuracySec=5s

[Install]
WantedBy=timers.target
`;
}
