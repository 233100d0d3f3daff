import { InputProblem } from "../errors";
import { ServerTypeInfo } from "./capacity";

/**
 * Host CPU one Docker health probe costs: the exec through dockerd, containerd, the shim and
 * runc, and the probe command. Measured on a real engine; docs/capacity.md gives the command:
 * 94.7 ms (50 tenants) and 86.2 ms (200) on Docker 26.1, the larger rounded up; 20.10 took 67.
 */
export const measuredProbeCpuMs = 95;

/**
 * The share of the host's cores the tenants' health probes may take. Probes run whether or not
 * a tenant does any work, so they are a floor under the host's load. With the default memory
 * reservation, memory runs out first (a full cx22 spends 16 % on probes); hosts packed with
 * small reservations reach this bound and should be split or given more cores.
 */
export const maxProbeCpuShare = 0.25;

/** Cores the health probes of `tenantCount` tenants keep busy, each probed every `intervalSeconds`. */
export function probeCpuCores(
    tenantCount: number,
    intervalSeconds: number,
    cpuMsPerProbe: number = measuredProbeCpuMs,
): number {
    return (tenantCount / intervalSeconds) * (cpuMsPerProbe / 1000);
}

export interface ProbeLoadInput {
    tenantCount: number;
    intervalSeconds: number;
    /**
     * The host's server type; its cores are what the probes share. Unknown for a local engine,
     * whose machine the program does not size: then there is nothing to check.
     */
    current?: ServerTypeInfo;
    /** Orderable types, to suggest one with enough cores. */
    serverTypes?: ReadonlyArray<ServerTypeInfo>;
    location?: string;
    /** The config key that sets the host's size, named in the message. */
    sizeKey: string;
}

/** Refuses a host whose tenants' health probes alone would take more than `maxProbeCpuShare` of it. */
export function probeLoadProblems(input: ProbeLoadInput): InputProblem[] {
    const { current } = input;
    const cores = probeCpuCores(input.tenantCount, input.intervalSeconds);
    if (current === undefined || cores <= maxProbeCpuShare * current.cores) {
        return [];
    }
    const coresNeeded = Math.ceil(cores / maxProbeCpuShare);
    const bigger = (input.serverTypes ?? [])
        .filter(
            (t) =>
                !t.deprecated &&
                t.architecture === current.architecture &&
                t.cores >= coresNeeded &&
                t.memoryMb >= current.memoryMb &&
                (input.location === undefined || t.locations.includes(input.location)),
        )
        .sort((a, b) => a.cores - b.cores || a.memoryMb - b.memoryMb || a.name.localeCompare(b.name))[0];
    const advice =
        bigger === undefined
            ? "split the tenants across hosts"
            : `split the tenants across hosts, or use server type ${bigger.name} (${bigger.cores} cores): pulumi config set ${input.sizeKey} ${bigger.name}`;
    const percent = (share: number) => `${Math.round(share * 100)} %`;
    return [
        {
            where: input.sizeKey,
            path: "",
            message:
                `the health probes of ${input.tenantCount} tenants (one every ${input.intervalSeconds} s each, ${measuredProbeCpuMs} ms of host CPU per probe) ` +
                `take ${cores.toFixed(2)} of the ${current.cores} cores of server type ${current.name} (${percent(cores / current.cores)}), ` +
                `more than the ${percent(maxProbeCpuShare)} allowed; ${advice}`,
        },
    ];
}
