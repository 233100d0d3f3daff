import { HostSize, capacityProblems, subnetProblems } from "../capacity/capacity";
import { DiskCapacity, diskCapacity } from "../capacity/diskCapacity";
import { probeLoadProblems } from "../capacity/probeLoad";
import { healthcheckIntervalSeconds } from "../docker/tenantContainers";
import { webhookDomainOf, webhookDomainProblems, webhookPortProblems } from "../docker/webhookListener";
import { InputProblem } from "../errors";
import { unreachable } from "../unreachable";
import { FleetConfig } from "./loadFleetConfig";
import { configLocation } from "../config/configLocation";

/**
 * What a preview refuses of a valid config on its host before anything is declared: memory,
 * health probe load, disk limits against the data Volume, the tenant subnet, webhook ports and
 * domain. The disk's overcommit is only a warning.
 */
export function stackProblems(
    config: FleetConfig,
    size: HostSize,
): { problems: InputProblem[]; warning?: string } {
    const { settings, tenants, stack } = config;
    const disk = dataVolumeCapacity(config);
    return {
        warning: disk.overcommitWarning,
        problems: [
            ...capacityProblems({
                tenants,
                hostMemoryMb: size.memoryMb,
                reservedMb: settings.hostReservedMemoryMb,
                sizeKey: size.sizeKey,
                hostLabel: size.label,
                serverTypes: size.serverTypes,
                current: size.current,
                location: size.location,
            }),
            ...probeLoadProblems({
                tenantCount: tenants.length,
                intervalSeconds: healthcheckIntervalSeconds,
                ...size,
            }),
            ...disk.problems,
            ...subnetProblems(settings.tenantSubnet, tenants.length, configLocation(stack, "tenantSubnet")),
            ...webhookPortProblems(tenants),
            ...webhookDomainProblems(
                tenants,
                settings.hostKind,
                webhookDomainOf(settings),
                configLocation(stack, "webhookDomain"),
            ),
        ],
    };
}

/** Tenants' disk limits against the data Volume, which only a Hetzner server has. */
function dataVolumeCapacity(config: FleetConfig): DiskCapacity {
    const { settings } = config;
    switch (settings.hostKind) {
        case "local":
            return { problems: [] };
        case "hetzner":
            return diskCapacity(
                config.tenants,
                settings.dataVolumeGb,
                configLocation(config.stack, "dataVolumeGb"),
            );
        default:
            return unreachable(settings);
    }
}
