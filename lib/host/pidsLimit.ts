import { labelKeys } from "../docker/labels";

export const pidsLimitPaths = {
    script: "/usr/local/sbin/zeptoclaw-fleet-pids-limit",
    unit: "zeptoclaw-fleet-pids-limit.service",
} as const;

/**
 * A host-side service that gives every tenant gateway a Docker `PidsLimit`, the number in its
 * `com.zeptoclaw.pids-limit` label (its `resources.pids`). The Docker provider has no pids-limit
 * argument (terraform-provider-docker v4.5.0, as bridged by @pulumi/docker 5.x, declares none in
 * internal/provider/resource_docker_container.go), so the service sets it with `docker update`,
 * which changes the limit of a created or running container and keeps it in the container's
 * settings (moby v26.1.5 api/server/router/container/container_routes.go `postContainerUpdate`,
 * PidsLimit since API 1.40). The provider never reads the limit back, so it never plans to undo it.
 *
 * It watches Docker's create events before it sweeps the existing gateways, so no gateway created
 * in between is missed; a change of a tenant's limit replaces its container (the label), which
 * the watch sees. Until the update lands, a few milliseconds after the create, the tenant's slice
 * (TasksMax) and its per-uid `ulimit nproc` hold it to the same number.
 */
export function renderPidsLimitScript(): string {
    return `#!/bin/sh
# Written by zeptoclaw-fleet: every tenant gateway gets the PidsLimit its label declares.
set -eu

gateways="label=${labelKeys.role}=gateway"

apply() {
    id=$1
    facts=$(docker inspect --format '{{.Name}} {{.HostConfig.PidsLimit}} {{index .Config.Labels "${labelKeys.pidsLimit}"}}' "$id" 2>/dev/null) || return 0
    # shellcheck disable=SC2086 # three words: the name, the current limit, the label's
    set -- $facts
    [ $# -eq 3 ] || return 0
    name=$1 current=$2 limit=$3
    case $limit in *[!0-9]*) return 0 ;; esac
    [ "$current" = "$limit" ] && return 0
    if docker update --pids-limit "$limit" "$id" >/dev/null; then
        echo "$name: PidsLimit $limit"
    else
        echo "$name: could not set PidsLimit $limit" >&2
    fi
}

docker events --filter type=container --filter event=create --filter "$gateways" --format '{{.ID}}' |
    while read -r id; do apply "$id"; done &
docker ps --all --quiet --no-trunc --filter "$gateways" |
    while read -r id; do apply "$id"; done
wait
# The watch ends only when Docker stops answering: systemd starts the service again.
echo "docker events ended" >&2
exit 1
`;
}

export function renderPidsLimitService(scriptPath: string): string {
    return `[Unit]
Description=zeptoclaw-fleet: a PidsLimit on every tenant gateway
After=docker.service
Requires=docker.service

[Service]
Type=simple
ExecStart=${scriptPath}
Restart=always
RestartSec=5s

[Install]
WantedBy=multi-user.target
`;
}
