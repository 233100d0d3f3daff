import { AgentMode, upstreamDefaultAgentMode } from "../contract/agentsSchema";
import { Quota } from "../contract/providersSchema";
import { FleetPolicy, compareAgentModes } from "./fleetPolicy";

/** The tenant's deny list with the fleet's denied tools added (the fleet's first, no repeats). */
export function deniedTools(policy: FleetPolicy, tenantDeny: ReadonlyArray<string>): string[] {
    return [...new Set([...policy.deniedTools, ...tenantDeny])];
}

/** The tenant's mode, else upstream's default, lowered to the fleet's maximum. */
export function effectiveAgentMode(policy: FleetPolicy, tenantMode: AgentMode | undefined): AgentMode {
    if (tenantMode !== undefined) {
        return tenantMode;
    }
    return compareAgentModes(upstreamDefaultAgentMode, policy.maxAgentMode) > 0
        ? policy.maxAgentMode
        : upstreamDefaultAgentMode;
}

/**
 * A provider's quota: the tenant's own limits (checked not to exceed the fleet's), and the fleet's
 * caps where the tenant sets none. Undefined when neither sets any.
 */
export function effectiveQuota(policy: FleetPolicy, tenantQuota: Quota | undefined): Quota | undefined {
    const maxCost = tenantQuota?.max_cost_usd ?? policy.monthlyCostCapUsd;
    const maxTokens = tenantQuota?.max_tokens ?? policy.monthlyTokenCap;
    if (maxCost === undefined && maxTokens === undefined) {
        return undefined;
    }
    return {
        ...(maxCost === undefined ? {} : { max_cost_usd: maxCost }),
        ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
        period: tenantQuota?.period ?? "monthly",
        action: tenantQuota?.action ?? "reject",
    };
}
