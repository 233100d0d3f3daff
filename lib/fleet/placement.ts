import { InputProblem } from "../errors";
import { HostStack } from "../project/hostStack";
import { TenantPlacement } from "../tenants/selectTenants";

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

/**
 * Tenants that list `environment` itself, not one of its hosts: they run nowhere yet. A
 * `stacks` entry naming an environment that is also a stack (the single-host `prod`) is that
 * stack, so such a tenant is placed. A tenant that lists a host as well keeps its host, and the
 * environment entry is refused as a leftover.
 */
export function unplacedTenants(
    tenants: ReadonlyArray<TenantPlacement>,
    hosts: ReadonlyArray<HostStack>,
    environment: string,
): InputProblem[] {
    if (hosts.some((h) => h.stack === environment)) {
        return [];
    }
    const environmentHosts = hosts
        .filter((h) => h.environment === environment)
        .map((h) => h.stack)
        .sort();
    const problems: InputProblem[] = [];
    for (const tenant of tenants) {
        const index = tenant.stacks.indexOf(environment);
        if (index === -1) {
            continue;
        }
        const placedOn = tenant.stacks.filter((s) => environmentHosts.includes(s));
        problems.push({
            where: tenant.file,
            path: `stacks[${index}]`,
            message:
                placedOn.length > 0
                    ? `is the environment "${environment}", and the tenant is already on its host ${placedOn.join(" and ")}; remove "${environment}" from stacks`
                    : `is the environment "${environment}", and the tenant is on none of its hosts (${environmentHosts.join(", ")}); ` +
                      `choose one with npm run fleet -- place -e ${environment}, then commit the tenant file`,
        });
    }
    return problems;
}
