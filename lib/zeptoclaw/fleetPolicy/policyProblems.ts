import { InputProblem } from "../../errors";
import { configLocation } from "../../config/configLocation";
import { Tenant } from "../../tenants/tenant";
import { upstreamDefaultAgentMode } from "../contract/agentsSchema";
import { FleetPolicy, compareAgentModes, policyKeys } from "./fleetPolicy";

/**
 * Where a tenant file asks for more than the fleet policy of `stack` allows. Each problem names the
 * tenant file and key, and the stack config key that sets the limit.
 */
export function fleetPolicyProblems(tenant: Tenant, policy: FleetPolicy, stack: string): InputProblem[] {
    const settings = tenant.zeptoclaw;
    const problems: InputProblem[] = [];
    const refuse = (path: string, message: string, key: keyof FleetPolicy): void => {
        problems.push({
            where: tenant.file,
            path: `zeptoclaw.${path}`,
            message: `${message}, which the fleet policy does not allow (${configLocation(stack, policyKeys[key])})`,
        });
    };

    const mode = settings.agent_mode?.mode ?? upstreamDefaultAgentMode;
    if (settings.agent_mode !== undefined && compareAgentModes(mode, policy.maxAgentMode) > 0) {
        refuse(
            "agent_mode.mode",
            `is "${mode}", more permissive than "${policy.maxAgentMode}"`,
            "maxAgentMode",
        );
    }

    const denied = new Set<string>(policy.deniedTools);
    for (const [name, tools] of Object.entries(settings.tool_profiles ?? {})) {
        (tools ?? []).forEach((tool, i) => {
            if (denied.has(tool.toLowerCase())) {
                refuse(
                    `tool_profiles.${name}[${i}]`,
                    `allows "${tool}", a tool every tenant is denied`,
                    "deniedTools",
                );
            }
        });
    }

    for (const [provider, config] of Object.entries(settings.providers)) {
        const quota = config?.quota;
        if (quota === undefined) {
            continue;
        }
        const capped = policy.monthlyCostCapUsd !== undefined || policy.monthlyTokenCap !== undefined;
        const at = `providers.${provider}.quota`;
        if (policy.monthlyCostCapUsd !== undefined && (quota.max_cost_usd ?? 0) > policy.monthlyCostCapUsd) {
            refuse(
                `${at}.max_cost_usd`,
                `is ${quota.max_cost_usd} USD, above the fleet's ${policy.monthlyCostCapUsd} USD a month`,
                "monthlyCostCapUsd",
            );
        }
        if (policy.monthlyTokenCap !== undefined && (quota.max_tokens ?? 0) > policy.monthlyTokenCap) {
            refuse(
                `${at}.max_tokens`,
                `is ${quota.max_tokens}, above the fleet's ${policy.monthlyTokenCap} tokens a month`,
                "monthlyTokenCap",
            );
        }
        if (capped && quota.period !== "monthly") {
            refuse(
                `${at}.period`,
                `is "${quota.period}": the fleet caps are monthly, and a daily quota of the same size allows about 30 times more`,
                policy.monthlyCostCapUsd !== undefined ? "monthlyCostCapUsd" : "monthlyTokenCap",
            );
        }
        if (capped && quota.action !== "reject") {
            refuse(
                `${at}.action`,
                `is "${quota.action}": it only logs when the quota is spent and lets the spending go on`,
                policy.monthlyCostCapUsd !== undefined ? "monthlyCostCapUsd" : "monthlyTokenCap",
            );
        }
    }

    if (policy.requireApproval) {
        if (settings.approval?.enabled === false) {
            refuse(
                "approval.enabled",
                "is false: tools that need approval would run unasked",
                "requireApproval",
            );
        }
        if (settings.approval?.policy === "always_allow") {
            refuse(
                "approval.policy",
                'is "always_allow": tools that need approval would run unasked',
                "requireApproval",
            );
        }
    }

    if (policy.requireSafety) {
        for (const key of ["enabled", "injection_check_enabled", "leak_detection_enabled"] as const) {
            if (settings.safety?.[key] === false) {
                refuse(`safety.${key}`, "is false: it turns a safety check off", "requireSafety");
            }
        }
    }
    return problems;
}
