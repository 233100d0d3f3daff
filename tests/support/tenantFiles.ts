import { stringify } from "yaml";
import { parseTenantFile } from "../../lib/tenants/parseTenantFile";
import { Tenant } from "../../lib/tenants/tenant";

/** A minimal valid tenant file, with overrides merged over the top level. */
export function tenantYaml(name: string, overrides: Record<string, unknown> = {}): string {
    return stringify({
        name,
        stacks: ["dev", "prod"],
        zeptoclaw: {
            providers: { anthropic: { api_key: { secret: "anthropicApiKey" } } },
            channels: { telegram: { enabled: true, token: { secret: "telegramBotToken" } } },
        },
        ...overrides,
    });
}

/** The validated tenant of `tenantYaml(name, overrides)`, as the program would declare it. */
export function tenantOf(name: string, overrides: Record<string, unknown> = {}): Tenant {
    const file = `tenants/${name}.yaml`;
    const parsed = parseTenantFile(file, tenantYaml(name, overrides));
    if (!parsed.ok) {
        throw new Error(JSON.stringify(parsed.problems));
    }
    const { zeptoclaw, resources, labels, ring } = parsed.tenant;
    return { name, file, uid: 10_000_001, zeptoclaw, resources, labels, ring };
}

/**
 * Settings ZeptoClaw 0.9.2 starts with (the stand-in refuses the others, as upstream does): a
 * Claude model on the Anthropic provider (src/config/validate.rs accepts only `claude-*` there),
 * or a stand-in misbehaviour (`standin/<mode>[:delay]`) on openrouter, an OpenAI-compatible
 * provider that accepts any model name; web search with its key (src/kernel/registrar.rs refuses
 * Brave without one).
 */
export function runnableSettings(model = "claude-sonnet-4-6"): Record<string, unknown> {
    const providers = model.startsWith("standin/")
        ? { openrouter: { api_key: { secret: "openrouterApiKey" } } }
        : { anthropic: { api_key: { secret: "anthropicApiKey" } } };
    return {
        agents: { defaults: { model } },
        providers,
        channels: { telegram: { enabled: true, token: { secret: "telegramBotToken" } } },
        tools: { web: { search: { api_key: { secret: "braveApiKey" } } } },
    };
}

/** Secrets for the tenants of `tenantYaml`, distinct per tenant so that leaks are traceable. */
export function secretsFor(names: ReadonlyArray<string>): Record<string, Record<string, string>> {
    return Object.fromEntries(
        names.map((n) => [
            n,
            {
                anthropicApiKey: `sk-ant-SECRET-${n}-0123456789`,
                telegramBotToken: `123456:TGSECRET-${n}-abcdef`,
            },
        ]),
    );
}

export function fleet(names: ReadonlyArray<string>): {
    tenantFiles: Record<string, string>;
    tenantSecrets: Record<string, Record<string, string>>;
} {
    return {
        tenantFiles: Object.fromEntries(names.map((n) => [`${n}.yaml`, tenantYaml(n)])),
        tenantSecrets: secretsFor(names),
    };
}

/** Secrets for tenants of `runnableSettings`: those of `secretsFor` and the two it adds. */
export function runnableSecretsFor(names: ReadonlyArray<string>): Record<string, Record<string, string>> {
    const base = secretsFor(names);
    return Object.fromEntries(
        names.map((n) => [
            n,
            {
                ...base[n],
                openrouterApiKey: `sk-or-SECRET-${n}-0123456789`,
                braveApiKey: `BSA-SECRET-${n}-0123456789`,
            },
        ]),
    );
}

/** A WhatsApp Cloud channel with the secret names the seed importer gives its credentials. */
export const whatsappCloudChannel = {
    enabled: true,
    phone_number_id: "1234567890",
    access_token: { secret: "whatsappCloudAccessToken" },
    webhook_verify_token: { secret: "whatsappWebhookVerifyToken" },
    app_secret: { secret: "whatsappAppSecret" },
};
