import { stringify } from "yaml";

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
