import { tenantFootprintMb } from "../capacity/capacity";
import { ServerTypeInfo } from "../capacity/capacity";
import { PlacementHost, freeMemoryMb, placeTenants } from "./placeTenants";

/** One tenant of a drained host, and the host it goes to. */
export interface DrainMove {
    tenant: string;
    /** Its file, as shown to the operator. */
    file: string;
    target: string;
}

export interface DrainPlan {
    host: string;
    environment: string;
    /** In the order they run: by tenant file. */
    moves: DrainMove[];
}

export interface DrainFacts {
    host: string;
    environment: string;
    /** Every host of the environment, the drained one included, sized, with its tenants. */
    hosts: ReadonlyArray<PlacementHost>;
    /** Each tenant's `stacks` index of the drained host, by tenant file. */
    stackIndex: ReadonlyMap<string, number>;
    probeIntervalSeconds: number;
    serverTypes?: ReadonlyArray<ServerTypeInfo>;
}

/**
 * Where each tenant of a host goes so that the host runs none: placed one by one, by file, on
 * the other hosts of its environment by the rules of `fleet place` (lib/fleet/placeTenants.ts:
 * the host with the most memory left where preview would take it). Refused, with what is
 * missing, when the other hosts cannot hold them all; nothing is moved then.
 */
export function planDrain(facts: DrainFacts): { ok: true; plan: DrainPlan } | { ok: false; message: string } {
    const { host, environment } = facts;
    const drained = facts.hosts.find((h) => h.stack === host);
    if (drained === undefined) {
        return { ok: false, message: `"${host}" is not a host stack of environment "${environment}"` };
    }
    const others = facts.hosts.filter((h) => h.stack !== host);
    if (others.length === 0 && drained.tenants.length > 0) {
        return {
            ok: false,
            message:
                `${host} is the only host of "${environment}": its tenants have nowhere to go; add a host stack ` +
                `with zeptoclaw-fleet:environment: ${environment} and pulumi up it first; nothing was changed`,
        };
    }
    const placed = placeTenants({
        environment,
        hosts: others,
        unplaced: drained.tenants.map((tenant) => ({
            tenant,
            tenantsDir: drained.tenantsDir,
            index: facts.stackIndex.get(tenant.file) ?? 0,
        })),
        probeIntervalSeconds: facts.probeIntervalSeconds,
        serverTypes: facts.serverTypes,
    });
    if (!placed.ok) {
        const needMb = drained.tenants.reduce((sum, t) => sum + tenantFootprintMb(t), 0);
        const needDiskMb = drained.tenants.reduce((sum, t) => sum + t.resources.diskMb, 0);
        const freeMb = others.reduce((sum, h) => sum + Math.max(0, freeMemoryMb(h, h.tenants)), 0);
        const missing =
            needMb > freeMb
                ? `${needMb - freeMb} MB of memory is missing`
                : `the memory left is split among the hosts, or their disk or probe load is the limit`;
        return {
            ok: false,
            message:
                `the other hosts of "${environment}" cannot take ${host}'s ${drained.tenants.length} tenant(s): ` +
                `they need ${needMb} MB of memory and ${needDiskMb} MB of disk, the other hosts have ${freeMb} MB of memory left; ` +
                `${missing}:\n${placed.needs.join("\n")}\n${placed.advice} with zeptoclaw-fleet:environment: ${environment}, ` +
                `pulumi up it, then drain again; nothing was changed`,
        };
    }
    return {
        ok: true,
        plan: {
            host,
            environment,
            moves: placed.placements.map((p) => ({
                tenant: p.tenant.name,
                file: p.tenant.file,
                target: p.stack,
            })),
        },
    };
}

/** The plan as `--dry-run` prints it. */
export function describeDrain(plan: DrainPlan): string[] {
    if (plan.moves.length === 0) {
        return [`${plan.host} runs no tenant: nothing to move`];
    }
    return [
        `draining ${plan.host} (environment ${plan.environment}): ${plan.moves.length} tenant(s), one after the other`,
        ...plan.moves.map(
            (m, i) => `  ${i + 1} of ${plan.moves.length}: ${m.tenant} (${m.file}) to ${m.target}`,
        ),
    ];
}
