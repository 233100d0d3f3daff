import { Tenant } from "../../../lib/tenants/tenant";
import { FleetPolicy, unrestrictedPolicy } from "../../../lib/zeptoclaw/fleetPolicy/fleetPolicy";
import { fleetPolicyProblems } from "../../../lib/zeptoclaw/fleetPolicy/policyProblems";
import { renderZeptoClawConfig } from "../../../lib/zeptoclaw/renderConfig";
import { tenantOf } from "../../support/tenantFiles";

const apiOnly: FleetPolicy = {
    deniedTools: ["shell", "read_file", "write_file"],
    maxAgentMode: "assistant",
    monthlyCostCapUsd: 50,
    monthlyTokenCap: 1_000_000,
    requireApproval: true,
    requireSafety: true,
};

function tenant(zeptoclaw: Record<string, unknown> = {}): Tenant {
    return tenantOf("shop-a", {
        zeptoclaw: {
            providers: { anthropic: { api_key: { secret: "a" } } },
            channels: { telegram: { enabled: true, token: { secret: "t" } } },
            ...zeptoclaw,
        },
    });
}

const render = (t: Tenant, policy: FleetPolicy) =>
    renderZeptoClawConfig(t.zeptoclaw, { a: "A", t: "T" }, policy) as Record<string, any>;

describe("a tenant file cannot loosen the fleet policy", () => {
    const quota = (q: Record<string, unknown>) => ({
        providers: { anthropic: { api_key: { secret: "a" }, quota: q } },
    });
    test.each<[string, Record<string, unknown>, string, string]>([
        [
            "a more permissive agent mode",
            { agent_mode: { mode: "autonomous" } },
            "agent_mode.mode",
            "policyMaxAgentMode",
        ],
        [
            "a tool profile allowing a denied tool",
            { tool_profiles: { chat: ["message", "Shell"] } },
            "tool_profiles.chat[1]",
            "policyDeniedTools",
        ],
        [
            "a cost cap above the fleet's",
            quota({ max_cost_usd: 51 }),
            "providers.anthropic.quota.max_cost_usd",
            "policyMonthlyCostCapUsd",
        ],
        [
            "a token cap above the fleet's",
            quota({ max_tokens: 1_000_001 }),
            "providers.anthropic.quota.max_tokens",
            "policyMonthlyTokenCap",
        ],
        [
            "a daily quota under monthly caps",
            quota({ max_tokens: 10, period: "daily" }),
            "providers.anthropic.quota.period",
            "policyMonthlyCostCapUsd",
        ],
        [
            "a quota that only warns",
            quota({ max_tokens: 10, action: "warn" }),
            "providers.anthropic.quota.action",
            "policyMonthlyCostCapUsd",
        ],
        ["approval off", { approval: { enabled: false } }, "approval.enabled", "policyRequireApproval"],
        [
            "approval always_allow",
            { approval: { policy: "always_allow" } },
            "approval.policy",
            "policyRequireApproval",
        ],
        [
            "a safety check off",
            { safety: { leak_detection_enabled: false } },
            "safety.leak_detection_enabled",
            "policyRequireSafety",
        ],
    ])("%s is refused, naming the file, the key and the stack key", (_, zeptoclaw, path, key) => {
        const problems = fleetPolicyProblems(tenant(zeptoclaw), apiOnly, "prod");
        expect(problems).toEqual([
            {
                where: "tenants/shop-a.yaml",
                path: `zeptoclaw.${path}`,
                message: expect.stringContaining(`(Pulumi.prod.yaml: zeptoclaw-fleet:${key})`),
            },
        ]);
        // the same file is fine without the policy
        expect(fleetPolicyProblems(tenant(zeptoclaw), unrestrictedPolicy, "dev")).toEqual([]);
    });

    test("a stricter tenant is accepted", () => {
        const strict = tenant({
            agent_mode: { mode: "observer" },
            tools: { deny: ["cron"] },
            ...quota({ max_cost_usd: 10, max_tokens: 100 }),
            approval: { policy: "always_require" },
        });
        expect(fleetPolicyProblems(strict, apiOnly, "prod")).toEqual([]);
    });
});

describe("the fleet policy is merged into the rendered config", () => {
    test("denied tools are added to the tenant's, and the startup guard cannot replace them", () => {
        const config = render(tenant({ tools: { deny: ["cron", "shell"] } }), apiOnly);
        expect(config.tools.deny).toEqual(["shell", "read_file", "write_file", "cron"]);
        expect(config.gateway).toEqual({ startup_guard: { enabled: false } });
    });

    test("caps become each provider's monthly quota, and a tenant's lower limit stays", () => {
        const config = render(
            tenant({ providers: { anthropic: { api_key: { secret: "a" }, quota: { max_cost_usd: 5 } } } }),
            apiOnly,
        );
        expect(config.providers.anthropic).toEqual({
            api_key: "A",
            quota: { max_cost_usd: 5, max_tokens: 1_000_000, period: "monthly", action: "reject" },
        });
    });

    test("agent mode, approval and safety are written explicitly", () => {
        const config = render(tenant(), { ...apiOnly, maxAgentMode: "observer" });
        expect(config.agent_mode).toEqual({ mode: "observer" });
        expect(config.approval).toEqual({ enabled: true });
        expect(config.safety).toEqual({
            enabled: true,
            injection_check_enabled: true,
            leak_detection_enabled: true,
        });
    });

    test("without a policy, upstream's defaults stay: no deny list, guard untouched, no quota", () => {
        const config = render(tenant(), unrestrictedPolicy);
        expect(config.tools.deny).toEqual([]);
        expect(config.gateway).toBeUndefined();
        expect(config.providers.anthropic).toEqual({ api_key: "A" });
        expect(config.approval).toBeUndefined();
        expect(config.agent_mode).toEqual({ mode: "assistant" });
    });
});
