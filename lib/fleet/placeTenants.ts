import {
    ServerTypeInfo,
    capacityProblems,
    smallestServerTypeHolding,
    subnetProblems,
    tenantFootprintMb,
} from "../capacity/capacity";
import { diskCapacity } from "../capacity/diskCapacity";
import { probeLoadProblems } from "../capacity/probeLoad";
import { Tenant } from "../tenants/tenant";

/** A host of the environment, sized, with the tenants already on it. */
export interface PlacementHost {
    stack: string;
    /** Its tenant folder: a tenant is placed only on hosts that read the folder of its file. */
    tenantsDir: string;
    memoryMb: number;
    reservedMb: number;
    /** The key that sets its memory (`zeptoclaw-fleet:serverType`), for the capacity checks. */
    sizeKey: string;
    label: string;
    /** Its server type, on Hetzner: the cores the health probes share. */
    current?: ServerTypeInfo;
    location?: string;
    /** The data Volume holding its tenants' data, on Hetzner; a local engine has none. */
    dataVolumeGb?: number;
    tenantSubnet?: string;
    tenants: ReadonlyArray<Tenant>;
}

/** A tenant whose file lists the environment, at `stacks[index]`, and none of its hosts. */
export interface UnplacedTenant {
    tenant: Tenant;
    tenantsDir: string;
    index: number;
}

export interface PlacementRequest {
    environment: string;
    hosts: ReadonlyArray<PlacementHost>;
    unplaced: ReadonlyArray<UnplacedTenant>;
    /** How often each tenant is probed, for the probe load check. */
    probeIntervalSeconds: number;
    /** Orderable Hetzner types, to name the one to add when a tenant fits nowhere. */
    serverTypes?: ReadonlyArray<ServerTypeInfo>;
}

export interface Placement {
    tenant: Tenant;
    index: number;
    stack: string;
    /** Memory left for tenants on the host once this one is there. */
    freeMb: number;
    /** Data Volume space not yet promised to a tenant's disk limit, once this one is there. */
    freeDiskMb?: number;
}

export type PlacementResult =
    | { ok: true; placements: Placement[] }
    | {
          ok: false;
          message: string;
          /** One line per tenant that fits nowhere: what it needs, what each host has left. */
          needs: string[];
          /** The host to add, sized for those tenants. */
          advice: string;
      };

/** Memory left for tenants on the host with these tenants on it, as placement counts it. */
export function freeMemoryMb(host: PlacementHost, tenants: ReadonlyArray<Tenant>): number {
    return host.memoryMb - host.reservedMb - tenants.reduce((sum, t) => sum + tenantFootprintMb(t), 0);
}

function freeDiskMb(host: PlacementHost, tenants: ReadonlyArray<Tenant>): number | undefined {
    return host.dataVolumeGb === undefined
        ? undefined
        : host.dataVolumeGb * 1024 - tenants.reduce((sum, t) => sum + t.resources.diskMb, 0);
}

/**
 * Whether preview would take the host with these tenants: the same memory, probe load and
 * subnet checks (index.ts), and the disk limits within the data Volume. Preview only warns when
 * the limits add up to more than the Volume; placement never makes it so.
 */
function fits(host: PlacementHost, tenants: ReadonlyArray<Tenant>, probeIntervalSeconds: number): boolean {
    const disk =
        host.dataVolumeGb === undefined
            ? { problems: [] }
            : diskCapacity(tenants, host.dataVolumeGb, `${host.stack}: dataVolumeGb`);
    return (
        capacityProblems({
            tenants,
            hostMemoryMb: host.memoryMb,
            reservedMb: host.reservedMb,
            sizeKey: host.sizeKey,
            hostLabel: host.label,
        }).length === 0 &&
        disk.problems.length === 0 &&
        disk.overcommitWarning === undefined &&
        probeLoadProblems({
            tenantCount: tenants.length,
            intervalSeconds: probeIntervalSeconds,
            current: host.current,
            sizeKey: host.sizeKey,
        }).length === 0 &&
        subnetProblems(host.tenantSubnet, tenants.length, host.sizeKey).length === 0
    );
}

/**
 * Places each unplaced tenant (by file name) on the host of its folder with the most free
 * memory after the tenants on it and those placed before it, among the hosts it fits; ties go
 * to the first stack by name. Placed tenants are never moved. When one fits nowhere, nothing is
 * placed: the result says what it needs and which host to add.
 */
export function placeTenants(request: PlacementRequest): PlacementResult {
    const onHost = new Map(request.hosts.map((h) => [h.stack, [...h.tenants]]));
    const hosts = [...request.hosts].sort((a, b) => a.stack.localeCompare(b.stack));
    const placements: Placement[] = [];
    const homeless: UnplacedTenant[] = [];
    const unplaced = [...request.unplaced].sort((a, b) => a.tenant.file.localeCompare(b.tenant.file));
    for (const entry of unplaced) {
        const candidates = hosts
            .filter((h) => h.tenantsDir === entry.tenantsDir)
            .map((host) => ({ host, after: [...onHost.get(host.stack)!, entry.tenant] }))
            .filter((c) => fits(c.host, c.after, request.probeIntervalSeconds))
            .map((c) => ({ ...c, freeMb: freeMemoryMb(c.host, c.after) }));
        // Stable sort over hosts in name order: the first name wins a tie.
        const best = candidates.sort((a, b) => b.freeMb - a.freeMb)[0];
        if (best === undefined) {
            homeless.push(entry);
            continue;
        }
        onHost.set(best.host.stack, best.after);
        placements.push({
            tenant: entry.tenant,
            index: entry.index,
            stack: best.host.stack,
            freeMb: best.freeMb,
            freeDiskMb: freeDiskMb(best.host, best.after),
        });
    }
    if (homeless.length === 0) {
        return { ok: true, placements };
    }
    const { needs, advice } = refusal(request, hosts, onHost, homeless);
    const noun = homeless.length === 1 ? "tenant fits" : "tenants fit";
    return {
        ok: false,
        needs,
        advice,
        message:
            `nothing placed, no file written: ${homeless.length} ${noun} on no host of ${request.environment}:\n${needs.join("\n")}\n` +
            `${advice} and zeptoclaw-fleet:environment: ${request.environment} (copy a Pulumi.<stack>.yaml of ${request.environment}), ` +
            `then run npm run fleet -- place -e ${request.environment} again`,
    };
}

function refusal(
    request: PlacementRequest,
    hosts: ReadonlyArray<PlacementHost>,
    onHost: ReadonlyMap<string, Tenant[]>,
    homeless: ReadonlyArray<UnplacedTenant>,
): { needs: string[]; advice: string } {
    const { environment } = request;
    const room = (host: PlacementHost): string => {
        const tenants = onHost.get(host.stack)!;
        const disk = freeDiskMb(host, tenants);
        return `${host.stack} ${freeMemoryMb(host, tenants)} MB${disk === undefined ? "" : ` and ${disk} MB of disk`} free`;
    };
    const lines = homeless.map(({ tenant, tenantsDir }) => {
        const ownHosts = hosts.filter((h) => h.tenantsDir === tenantsDir);
        return (
            `  ${tenant.file} needs ${tenantFootprintMb(tenant)} MB of memory (its memoryReservationMb ` +
            `${tenant.resources.memoryReservationMb} MB plus ${tenantFootprintMb(tenant) - tenant.resources.memoryReservationMb} MB of runtime overhead, ` +
            `a limit of ${tenant.resources.memoryMb} MB) and ${tenant.resources.diskMb} MB of disk; ` +
            (ownHosts.length === 0
                ? `no host of ${environment} reads ${tenantsDir}`
                : `left: ${ownHosts.map(room).join(", ")}`)
        );
    });
    // The new host is sized like the hosts there are: their reserve, architecture and location.
    const model = hosts.find((h) => h.current !== undefined) ?? hosts[0];
    const reservedMb = model?.reservedMb ?? 0;
    const needMb =
        reservedMb +
        Math.max(
            homeless.reduce((sum, h) => sum + tenantFootprintMb(h.tenant), 0),
            ...homeless.map((h) => h.tenant.resources.memoryMb),
        );
    const type =
        model?.current === undefined || request.serverTypes === undefined
            ? undefined
            : smallestServerTypeHolding(
                  needMb,
                  request.serverTypes,
                  model.current.architecture,
                  model.location,
              );
    const advice =
        type === undefined
            ? `add a host stack with at least ${needMb} MB of memory (${reservedMb} MB of it kept for the OS)`
            : `add a host stack with serverType ${type.name} (${type.memoryMb} MB)`;
    return { needs: lines, advice };
}
