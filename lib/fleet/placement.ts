import { InputProblem } from "../errors";
import { HostStack } from "./fleetEnvironments";

/** A tenant file's name and the stacks it lists. */
export interface TenantPlacement {
    file: string;
    stacks: ReadonlyArray<string>;
}

/**
 * Tenants placed on two hosts of one environment. Each host would run the tenant's gateway with
 * the same bot token, and Telegram lets only one poller receive a bot's updates: the tenant
 * would answer from whichever host won. Stacks of different environments (dev and prod) are fine.
 */
export function doublePlacements(
    tenants: ReadonlyArray<TenantPlacement>,
    hosts: ReadonlyArray<HostStack>,
): InputProblem[] {
    const environmentOf = new Map(hosts.map((h) => [h.stack, h.environment]));
    const problems: InputProblem[] = [];
    for (const tenant of tenants) {
        const byEnvironment = new Map<string, string[]>();
        for (const stack of tenant.stacks) {
            const environment = environmentOf.get(stack);
            if (environment !== undefined) {
                byEnvironment.set(environment, [...(byEnvironment.get(environment) ?? []), stack]);
            }
        }
        for (const [environment, stacks] of byEnvironment) {
            if (stacks.length > 1) {
                problems.push({
                    where: tenant.file,
                    path: "stacks",
                    message:
                        `lists ${stacks.join(" and ")}, hosts of the same environment "${environment}": the ` +
                        `tenant's bot would run on each with one token, and Telegram delivers a bot's updates ` +
                        `to one poller only; keep one host of ${environment}`,
                });
            }
        }
    }
    return problems;
}
