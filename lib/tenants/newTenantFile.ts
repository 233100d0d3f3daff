import { stringify } from "yaml";
import { upstreamDefaultModel } from "../zeptoclaw/contract/agentsSchema";
import { defaultTenantResources } from "./tenantSchema";

/** The secrets a new tenant gets, as the seed's add-tenant.sh asked for them. */
export const newTenantSecrets = [
    { name: "telegramBotToken", prompt: "Telegram bot token" },
    { name: "anthropicApiKey", prompt: "Anthropic API key" },
] as const;

/**
 * The file `npm run tenant -- add` writes: the seed's add-tenant.sh settings as ZeptoClaw 0.9.2
 * accepts them (upstream's default model; no Brave search without a key; no key upstream never
 * reads), spelled out so the operator sees every setting, with the secrets as references.
 */
export function renderNewTenantFile(name: string, stacks: ReadonlyArray<string>): string {
    const body = stringify(
        {
            name,
            stacks: [...stacks],
            zeptoclaw: {
                agents: {
                    defaults: {
                        model: upstreamDefaultModel,
                        max_tokens: 8192,
                        temperature: 0.7,
                        max_tool_iterations: 20,
                    },
                },
                providers: { anthropic: { api_key: { secret: "anthropicApiKey" } } },
                channels: {
                    telegram: { enabled: true, token: { secret: "telegramBotToken" }, allow_from: [] },
                },
                heartbeat: { enabled: false, interval_secs: 1800 },
                skills: { enabled: true },
                swarm: { enabled: true, max_concurrent: 3 },
            },
            resources: { ...defaultTenantResources },
        },
        { flowCollectionPadding: true },
    );
    return `# Tenant ${name}. Secrets are references; their values live in the stack config.\n${body}`;
}
