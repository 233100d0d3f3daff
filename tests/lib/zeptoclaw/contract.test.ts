import { parseTenantFile } from "../../../lib/tenants/parseTenantFile";
import { modelBackendMismatch } from "../../../lib/zeptoclaw/contract/modelCompat";
import { ProviderBackend, inferProviderForModel } from "../../../lib/zeptoclaw/contract/providerRegistry";
import { tenantYaml } from "../../support/tenantFiles";

/** Problems of a tenant file whose `zeptoclaw` block is `zeptoclaw`, as "path: message" lines. */
function problemsOf(zeptoclaw: Record<string, unknown>): string[] {
    const result = parseTenantFile("tenants/shop-a.yaml", tenantYaml("shop-a", { zeptoclaw }));
    return result.ok ? [] : result.problems.map((p) => `${p.where}: ${p.path}: ${p.message}`);
}

const anthropic = { anthropic: { api_key: { secret: "a" } } };
const openrouter = { openrouter: { api_key: { secret: "o" } } };
const openai = { openai: { api_key: { secret: "oa" } } };
const groq = { groq: { api_key: { secret: "g" } } };
const telegram = { telegram: { enabled: true, token: { secret: "t" } } };
const whatsappCloud = {
    enabled: true,
    phone_number_id: "1234567890",
    access_token: { secret: "wa" },
    webhook_verify_token: { secret: "wv" },
    app_secret: { secret: "was" },
};

describe("check_model_backend_compat (src/config/validate.rs)", () => {
    // Cases are upstream's own #[test]s in src/config/validate.rs.
    test.each<[string, string, ProviderBackend, boolean, string]>([
        [
            "claude-sonnet-4-5-20250929",
            "anthropic",
            "anthropic",
            true,
            "test_compat_claude_model_on_anthropic",
        ],
        ["gpt-5.1-2025-11-13", "anthropic", "anthropic", false, "test_compat_gpt_model_on_anthropic"],
        ["gpt-5.1", "openai", "openai", true, "test_compat_gpt_model_on_openai"],
        ["claude-sonnet-4-5-20250929", "openai", "openai", false, "test_compat_claude_model_on_openai"],
        ["llama-3.3-70b", "groq", "openai", true, "test_compat_custom_model_on_groq"],
        ["Claude-Sonnet-4-5", "anthropic", "anthropic", true, "test_compat_case_insensitive"],
        ["openrouter/auto", "openrouter", "openai", true, "test_compat_openrouter_auto_on_openai"],
        [
            "anthropic/claude-sonnet-4",
            "anthropic",
            "anthropic",
            false,
            "the seed's model on the Anthropic API",
        ],
        ["claude-sonnet-4-6", "openrouter", "openai", true, "only the openai provider refuses claude-*"],
    ])("%s on %s (%s): accepted=%s [%s]", (model, provider, backend, accepted) => {
        expect(modelBackendMismatch(model, provider, backend) === undefined).toBe(accepted);
    });
});

describe("infer_provider_name_for_model (src/providers/registry.rs)", () => {
    // Cases are upstream's own #[test]s in src/providers/registry.rs.
    test.each<[string, string[], string | undefined]>([
        ["gpt-4o", [], "openai"],
        ["o3-mini", [], undefined],
        ["claude-3-haiku-20240307", [], "anthropic"],
        ["gemini-2.0-flash", [], "gemini"],
        ["deepseek-chat", [], "deepseek"],
        ["llama3.3", [], undefined],
        ["openrouter/auto", [], "openrouter"],
        ["anthropic/claude-sonnet-4-6", [], "anthropic"],
        ["meta/llama-4-scout-17b", [], undefined],
        ["anthropic/claude-sonnet-4-6", ["openrouter"], "openrouter"],
        ["openai/gpt-5.4", ["anthropic", "openrouter"], "openrouter"],
        ["anthropic/claude-sonnet-4-6", ["anthropic", "openrouter"], "anthropic"],
        ["anthropic/claude-sonnet-4-6", ["openrouter", "anthropic"], "anthropic"],
        ["google/gemini-3-flash-preview", ["anthropic", "openrouter"], "openrouter"],
        ["openrouter/auto", ["anthropic"], "openrouter"],
        ["Claude-Sonnet-4", [], "anthropic"],
        ["some-unknown-model", [], undefined],
    ])("%s with %j configured → %s", (model, available, expected) => {
        expect(inferProviderForModel(model, available)).toBe(expected);
    });
});

describe("the gateway's model-provider preflight, on whole tenant files", () => {
    const model = (m: string) => ({ defaults: { model: m } });
    test.each<[string, Record<string, unknown>, string | undefined]>([
        ["upstream's default model on Anthropic", { providers: anthropic }, undefined],
        [
            "the seed's vendor-prefixed model on Anthropic",
            { agents: model("anthropic/claude-sonnet-4"), providers: anthropic },
            "agents.defaults.model",
        ],
        [
            "a stand-in model on OpenRouter",
            { agents: model("standin/echo"), providers: openrouter },
            undefined,
        ],
        [
            "a vendor-prefixed Claude on OpenRouter alone",
            { agents: model("anthropic/claude-sonnet-4-6"), providers: openrouter },
            undefined,
        ],
        [
            "a vendor-prefixed Claude with Anthropic and OpenRouter: Anthropic serves it",
            { agents: model("anthropic/claude-sonnet-4-6"), providers: { ...anthropic, ...openrouter } },
            "agents.defaults.model",
        ],
        [
            "gpt-4o with Anthropic and OpenAI: OpenAI serves it",
            { agents: model("gpt-4o"), providers: { ...anthropic, ...openai } },
            undefined,
        ],
        ["a Claude model on OpenAI alone", { providers: openai }, "agents.defaults.model"],
        ["a Claude model on Groq", { providers: groq }, undefined],
        [
            "an unknown model falls to the first provider in registry order (Anthropic)",
            { agents: model("llama3.3"), providers: { ...groq, ...anthropic } },
            "agents.defaults.model",
        ],
        [
            "a mismatched default with a per-provider model is only a warning upstream",
            {
                agents: model("gpt-4o"),
                providers: { anthropic: { api_key: { secret: "a" }, model: "claude-opus-4-6" } },
            },
            undefined,
        ],
        [
            "a mismatched per-provider model",
            { providers: { ...anthropic, openai: { api_key: { secret: "b" }, model: "claude-opus-4-6" } } },
            "providers.openai.model",
        ],
    ])("%s", (_, zeptoclaw, refusedAt) => {
        const problems = problemsOf({ channels: telegram, ...zeptoclaw });
        if (refusedAt === undefined) {
            expect(problems).toEqual([]);
        } else {
            expect(problems).toEqual([
                expect.stringMatching(
                    new RegExp(
                        `^tenants/shop-a\\.yaml: zeptoclaw\\.${refusedAt.replace(/\./g, "\\.")}: .*src/config/validate\\.rs validate_model_provider_compat`,
                    ),
                ),
            ]);
        }
    });
});

describe("startup refusals and silent no-ops, each refused at preview with its upstream source", () => {
    const base = { providers: anthropic, channels: telegram };
    test.each<[string, Record<string, unknown>, string, RegExp]>([
        [
            "Brave search without a key (fatal)",
            { tools: { web: { search: { provider: "brave" } } } },
            "tools.web.search.api_key",
            /is required.*src\/kernel\/registrar\.rs/,
        ],
        [
            "a number in allow_from (serde refuses Vec<String>)",
            { channels: { telegram: { ...telegram.telegram, allow_from: [123456789] } } },
            "channels.telegram.allow_from[0]",
            /must be a string.*TelegramConfig\.allow_from/,
        ],
        [
            "a channel without enabled (upstream default false)",
            { channels: { telegram: { token: { secret: "t" } } } },
            "channels.telegram.enabled",
            /is required.*TelegramConfig\.enabled/,
        ],
        [
            "an ENC[...] value (needs ZEPTOCLAW_MASTER_KEY)",
            { agents: { defaults: { system_prompt: "ENC[abc]" } } },
            "agents.defaults.system_prompt",
            /ENC\[\.\.\.\].*src\/config\/mod\.rs/,
        ],
        [
            "an invalid agent mode (upstream falls back to autonomous)",
            { agent_mode: { mode: "Supervised" } },
            "agent_mode.mode",
            /full autonomy.*AgentModeConfig::resolve/,
        ],
        [
            "a tool_profile that is not defined (upstream allows every tool)",
            { agents: { defaults: { tool_profile: "chat" } } },
            "agents.defaults.tool_profile",
            /not in tool_profiles.*ToolFilter::from_config/,
        ],
        ["swarm.max_depth (never read)", { swarm: { max_depth: 2 } }, "swarm.max_depth", /never read/],
        [
            "memory.hygiene.conversation_keep (never read)",
            { memory: { hygiene: { conversation_keep: 10 } } },
            "memory.hygiene.conversation_keep",
            /never read/,
        ],
        [
            "tools.whatsapp.business_account_id (never read)",
            {
                tools: {
                    whatsapp: {
                        phone_number_id: "1",
                        access_token: { secret: "w" },
                        business_account_id: "2",
                    },
                },
            },
            "tools.whatsapp.business_account_id",
            /never read/,
        ],
        [
            "a quota without a limit",
            { providers: { anthropic: { api_key: { secret: "a" }, quota: { period: "monthly" } } } },
            "providers.anthropic.quota",
            /limits nothing/,
        ],
        [
            "an http_request tool without domains (silently not registered)",
            { tools: { http_request: { allowed_domains: [] } } },
            "tools.http_request.allowed_domains",
            /at least one domain/,
        ],
        [
            "WhatsApp Cloud without app_secret (signatures would go unchecked)",
            { channels: { whatsapp_cloud: { ...whatsappCloud, app_secret: undefined } } },
            "channels.whatsapp_cloud.app_secret",
            /is required.*X-Hub-Signature-256.*whatsapp_cloud\.rs validate_signature/,
        ],
        [
            "WhatsApp Cloud with its app secret written in the file",
            { channels: { whatsapp_cloud: { ...whatsappCloud, app_secret: "0123abcd" } } },
            "channels.whatsapp_cloud.app_secret",
            /must be a secret reference/,
        ],
        [
            "WhatsApp Cloud moving its listener (the proxy routes to the fleet's)",
            { channels: { whatsapp_cloud: { ...whatsappCloud, bind_address: "127.0.0.1" } } },
            "channels.whatsapp_cloud.bind_address",
            /set by zeptoclaw-fleet.*WhatsAppCloudConfig/,
        ],
        [
            "WhatsApp Cloud without its phone number id (upstream refuses to start the channel)",
            { channels: { whatsapp_cloud: { ...whatsappCloud, phone_number_id: undefined } } },
            "channels.whatsapp_cloud.phone_number_id",
            /is required.*WhatsAppCloudChannel::start/,
        ],
        [
            "logging (set by the fleet)",
            { logging: { format: "pretty" } },
            "logging",
            /set by zeptoclaw-fleet.*logging\.rs/,
        ],
        [
            "the workspace (set by the fleet)",
            { agents: { defaults: { workspace: "/tmp" } } },
            "agents.defaults.workspace",
            /\/data\/workspace/,
        ],
        ["no provider", { providers: {} }, "providers", /at least one provider.*gateway\.rs/],
    ])("%s", (_, zeptoclaw, path, message) => {
        const problems = problemsOf({ ...base, ...zeptoclaw });
        expect(problems).toEqual([
            expect.stringMatching(
                new RegExp(`^tenants/shop-a\\.yaml: zeptoclaw\\.${path.replace(/[.[\]]/g, "\\$&")}: `),
            ),
        ]);
        expect(problems[0]).toMatch(message);
    });

    test("every key an operator needs, with upstream's names, is accepted", () => {
        expect(
            problemsOf({
                agents: {
                    defaults: {
                        model: "claude-sonnet-4-6",
                        max_tokens: 4096,
                        temperature: 0.3,
                        max_tool_iterations: 10,
                        agent_timeout_secs: 120,
                        tool_timeout_secs: 30,
                        max_tool_calls: 20,
                        token_budget: 200_000,
                        system_prompt: "You answer for Kedai Ahmad.",
                        timezone: "Asia/Kuala_Lumpur",
                        tool_profile: "chat",
                        compact_tools: true,
                        message_queue_mode: "followup",
                    },
                },
                agent_mode: { mode: "observer" },
                tool_profiles: { chat: ["message", "web_search"], everything: null },
                providers: {
                    anthropic: {
                        api_key: { secret: "a" },
                        quota: { max_cost_usd: 20, max_tokens: 5_000_000, period: "daily", action: "warn" },
                    },
                },
                channels: {
                    telegram: {
                        enabled: true,
                        token: { secret: "t" },
                        allow_from: ["123456789"],
                        deny_by_default: true,
                        allow_usernames: false,
                        reactions: false,
                    },
                    whatsapp_cloud: { ...whatsappCloud, allow_from: ["60123456789"], deny_by_default: true },
                },
                tools: {
                    deny: ["cron"],
                    web: { search: { api_key: { secret: "b" }, max_results: 3 } },
                    http_request: { allowed_domains: ["api.example.com"], timeout_secs: 10 },
                },
                approval: { enabled: true, policy: "require_for_tools", require_for: ["cron"] },
                safety: { enabled: true, max_output_length: 50_000 },
                heartbeat: { enabled: true, interval_secs: 3600, deliver_to: "telegram:123456789" },
                skills: { enabled: true, disabled: ["github"] },
                swarm: { enabled: false },
                memory: {
                    backend: "builtin",
                    hygiene: { enabled: true, interval_hours: 24, max_entries: 500 },
                },
            }),
        ).toEqual([]);
    });
});
