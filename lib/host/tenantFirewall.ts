import { tenantNetworkName } from "../docker/network";

/** Link-local addresses: the cloud metadata service (169.254.169.254) lives here. */
export const linkLocalRange = "169.254.0.0/16";

/**
 * A shell script that keeps tenants away from the host and from the metadata service, while
 * their outbound internet traffic still flows. The metadata service serves the server's user
 * data, which holds its SSH host key; services on the host (sshd, the Docker API if exposed,
 * anything an operator starts) are not the tenants' business either. Rules match the tenants'
 * bridge by name, so they hold before the network exists and across its re-creation. Idempotent.
 */
export function renderTenantFirewallScript(bridge: string = tenantNetworkName): string {
    return `#!/bin/sh
# Written by zeptoclaw-fleet: tenants reach the internet, never the host or the metadata service.
set -eu

add_rule() {
    chain=$1
    shift
    iptables -C "$chain" "$@" 2>/dev/null || iptables -I "$chain" "$@"
}

# Routed traffic (the metadata service sits behind the host's default route). Docker creates
# DOCKER-USER and jumps to it before its own rules; create it if Docker has not started yet.
iptables -N DOCKER-USER 2>/dev/null || true
add_rule DOCKER-USER -i ${bridge} -d ${linkLocalRange} -j DROP

# Traffic to the host itself, on any of its addresses (the bridge gateway included). Docker's
# embedded DNS answers inside each container's own namespace and never comes here.
add_rule INPUT -i ${bridge} -j DROP
`;
}

/** The systemd unit that applies the script at boot, after Docker (which resets its own chains). */
export function renderTenantFirewallUnit(scriptPath: string): string {
    return `[Unit]
Description=zeptoclaw-fleet: keep tenants away from the host and the metadata service
After=docker.service
Wants=docker.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${scriptPath}

[Install]
WantedBy=multi-user.target
`;
}
