import { AgentMode, agentModes } from "../contract/agentsSchema";
import { BuiltinToolName } from "../contract/toolNames";
import type { StackConfig } from "../../config/stackConfig";

/**
 * What every tenant of a stack runs under, whatever its file says (stack config keys policy*).
 * A tenant may be stricter; a tenant file that asks for more is refused at preview.
 */
export interface FleetPolicy {
    /** Added to every tenant's tools.deny. */
    deniedTools: ReadonlyArray<BuiltinToolName>;
    /** The most permissive agent_mode.mode a tenant may run. */
    maxAgentMode: AgentMode;
    /** A monthly cap on each provider's estimated spend (providers.<p>.quota.max_cost_usd). */
    monthlyCostCapUsd?: number;
    /** A monthly cap on each provider's tokens (providers.<p>.quota.max_tokens). */
    monthlyTokenCap?: number;
    /** Tenants keep approval on and cannot make its policy always_allow. */
    requireApproval: boolean;
    /** Tenants keep every safety check on. */
    requireSafety: boolean;
}

/** Upstream's behaviour, unchanged: what a stack without policy keys gets. */
export const unrestrictedPolicy: FleetPolicy = {
    deniedTools: [],
    maxAgentMode: "autonomous",
    requireApproval: false,
    requireSafety: false,
};

/** Where each rule is set in the stack config, for error messages. */
export const policyKeys = {
    deniedTools: "policyDeniedTools",
    maxAgentMode: "policyMaxAgentMode",
    monthlyCostCapUsd: "policyMonthlyCostCapUsd",
    monthlyTokenCap: "policyMonthlyTokenCap",
    requireApproval: "policyRequireApproval",
    requireSafety: "policyRequireSafety",
} as const satisfies Record<keyof FleetPolicy, string>;

/** -1 for stricter, 0 for equal, 1 for more permissive. */
export function compareAgentModes(a: AgentMode, b: AgentMode): number {
    return Math.sign(agentModes.indexOf(a) - agentModes.indexOf(b));
}

/** The policy the stack config sets; a cap of 0 means no cap. */
export function fleetPolicyOf(settings: StackConfig): FleetPolicy {
    return {
        deniedTools: settings.policyDeniedTools,
        maxAgentMode: settings.policyMaxAgentMode,
        ...(settings.policyMonthlyCostCapUsd > 0
            ? { monthlyCostCapUsd: settings.policyMonthlyCostCapUsd }
            : {}),
        ...(settings.policyMonthlyTokenCap > 0 ? { monthlyTokenCap: settings.policyMonthlyTokenCap } : {}),
        requireApproval: settings.policyRequireApproval,
        requireSafety: settings.policyRequireSafety,
    };
}
