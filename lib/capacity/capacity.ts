import { InputProblem } from "../errors";
import { Tenant } from "../tenants/tenant";

/**
 * Host memory one running tenant container costs beyond its own processes: the containerd shim
 * and runtime bookkeeping. Measured on a real engine; docs/capacity.md gives the command.
 */
export const measuredContainerOverheadMb = 4;

/** What the capacity check knows about a Hetzner server type. */
export interface ServerTypeInfo {
    name: string;
    memoryMb: number;
    cores: number;
    architecture: string;
    deprecated: boolean;
    /** Locations where it can be ordered now. */
    locations: string[];
}

/** What the capacity checks need to know about the host before it is declared. */
export interface HostSize {
    memoryMb: number;
    /** The key that sets the size, named in capacity errors. */
    sizeKey: string;
    label: string;
    serverTypes?: ServerTypeInfo[];
    current?: ServerTypeInfo;
    location?: string;
}

export interface CapacityInput {
    tenants: ReadonlyArray<Tenant>;
    /** Total memory of the host in MB. */
    hostMemoryMb: number;
    /** Memory kept for the OS, dockerd and containerd. */
    reservedMb: number;
    /** Per-tenant overhead beyond its reservation; defaults to the measured figure. */
    overheadMb?: number;
    /** The config key that sets the host's size, named in the message. */
    sizeKey: string;
    /** A host label for messages, e.g. `server type cx22 (4096 MB)`. */
    hostLabel: string;
    /** On Hetzner: the orderable types, to suggest one that would hold the fleet. */
    serverTypes?: ReadonlyArray<ServerTypeInfo>;
    current?: ServerTypeInfo;
    location?: string;
}

/** What one tenant takes from the host's memory budget. */
export function tenantFootprintMb(tenant: Tenant, overheadMb: number = measuredContainerOverheadMb): number {
    return tenant.resources.memoryReservationMb + overheadMb;
}

/** The largest number of these tenants that fit, taking the smallest footprints first. */
export function tenantsThatFit(footprints: ReadonlyArray<number>, usableMb: number): number {
    let used = 0;
    let count = 0;
    for (const f of [...footprints].sort((a, b) => a - b)) {
        if (used + f > usableMb) {
            break;
        }
        used += f;
        count++;
    }
    return count;
}

/**
 * Refuses a fleet whose memory reservations do not fit the host, or a tenant whose limit is
 * above what the host can give at all. Reservations are what Docker reclaims first under memory
 * pressure; if they do not fit, the kernel's OOM killer picks tenants at random.
 */
export function capacityProblems(input: CapacityInput): InputProblem[] {
    const overhead = input.overheadMb ?? measuredContainerOverheadMb;
    const usable = input.hostMemoryMb - input.reservedMb;
    const problems: InputProblem[] = [];
    for (const tenant of input.tenants) {
        if (tenant.resources.memoryMb > usable) {
            problems.push({
                where: tenant.file,
                path: "resources.memoryMb",
                message: `is ${tenant.resources.memoryMb} MB, above the ${usable} MB the host can give tenants (${input.hostLabel}, ${input.reservedMb} MB kept for the OS); lower it or use a larger host`,
            });
        }
    }
    const footprints = input.tenants.map((t) => tenantFootprintMb(t, overhead));
    const needed = footprints.reduce((a, b) => a + b, 0);
    if (needed <= usable) {
        return problems;
    }
    const fit = tenantsThatFit(footprints, usable);
    const base =
        `${input.tenants.length} tenants need ${needed} MB (memory reservations plus ${overhead} MB of runtime overhead each), ` +
        `but ${input.hostLabel} has ${usable} MB for tenants after ${input.reservedMb} MB kept for the OS: only ${fit} of them fit.`;
    const requiredTotal = needed + input.reservedMb;
    let advice: string;
    if (input.serverTypes !== undefined && input.current !== undefined) {
        const bigger = smallestServerTypeHolding(
            requiredTotal,
            input.serverTypes,
            input.current.architecture,
            input.location,
        );
        advice =
            bigger === undefined
                ? "No single server type holds them: split the tenants across stacks or lower their memoryReservationMb."
                : `Server type ${bigger.name} (${bigger.memoryMb} MB) would hold them: pulumi config set ${input.sizeKey} ${bigger.name}`;
    } else {
        advice = `Give the host at least ${requiredTotal} MB and set ${input.sizeKey} to match, or run fewer tenants on it.`;
    }
    problems.push({ where: input.sizeKey, path: "", message: `${base} ${advice}` });
    return problems;
}

/** Smallest (by memory, then cores) orderable, non-deprecated type of the same CPU architecture. */
export function smallestServerTypeHolding(
    totalMb: number,
    types: ReadonlyArray<ServerTypeInfo>,
    architecture: string,
    location?: string,
): ServerTypeInfo | undefined {
    return types
        .filter((t) => !t.deprecated && t.architecture === architecture && t.memoryMb >= totalMb)
        .filter((t) => location === undefined || t.locations.includes(location))
        .sort((a, b) => a.memoryMb - b.memoryMb || a.cores - b.cores || a.name.localeCompare(b.name))[0];
}

/**
 * A configured tenant subnet must hold every tenant of the host (plus the config writer):
 * Docker refuses to start a container once the network's addresses run out.
 */
export function subnetProblems(subnet: string | undefined, tenantCount: number, key: string): InputProblem[] {
    if (subnet === undefined || subnet.includes(":")) {
        return [];
    }
    const prefix = Number(subnet.split("/")[1]);
    const usable = 2 ** (32 - prefix) - 3;
    if (usable >= tenantCount + 1) {
        return [];
    }
    return [
        {
            where: key,
            path: "",
            message: `${subnet} has ${Math.max(usable, 0)} addresses for containers but the host runs ${tenantCount} tenants and a config writer; use a larger subnet (a /20 holds 4093)`,
        },
    ];
}
