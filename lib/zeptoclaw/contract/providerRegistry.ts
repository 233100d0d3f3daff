/**
 * How ZeptoClaw picks the provider that serves a model, from src/providers/registry.rs
 * (PROVIDER_REGISTRY and infer_provider_name_for_model). Every entry of upstream's registry is
 * here, in upstream's order, because a model name is matched against all of their keywords, even
 * of providers the fleet does not offer.
 */

/** The API family a provider speaks; the model check differs per family (src/config/validate.rs). */
export type ProviderBackend = "anthropic" | "openai" | "vertex";

interface ProviderSpec {
    name: string;
    keywords: ReadonlyArray<string>;
    backend: ProviderBackend;
}

/** PROVIDER_REGISTRY, in priority order; every entry is runtime-supported in 0.9.2. */
export const providerRegistry: ReadonlyArray<ProviderSpec> = [
    { name: "anthropic", keywords: ["anthropic", "claude"], backend: "anthropic" },
    { name: "openai", keywords: ["openai", "gpt"], backend: "openai" },
    { name: "openrouter", keywords: ["openrouter"], backend: "openai" },
    { name: "groq", keywords: ["groq"], backend: "openai" },
    { name: "zhipu", keywords: ["zhipu", "glm", "zai"], backend: "openai" },
    { name: "vllm", keywords: ["vllm"], backend: "openai" },
    { name: "gemini", keywords: ["gemini"], backend: "openai" },
    { name: "vertex", keywords: ["vertex"], backend: "vertex" },
    { name: "ollama", keywords: ["ollama"], backend: "openai" },
    { name: "nvidia", keywords: ["nvidia", "nim"], backend: "openai" },
    { name: "deepseek", keywords: ["deepseek"], backend: "openai" },
    { name: "kimi", keywords: ["kimi", "moonshot"], backend: "openai" },
    { name: "azure", keywords: ["azure"], backend: "openai" },
    {
        name: "bedrock",
        keywords: ["bedrock", "anthropic.claude", "meta.llama", "amazon.titan"],
        backend: "openai",
    },
    { name: "xai", keywords: ["xai", "grok"], backend: "openai" },
    { name: "qianfan", keywords: ["qianfan", "ernie", "baidu"], backend: "openai" },
    { name: "novita", keywords: ["novita"], backend: "openai" },
];

/**
 * The providers a tenant may configure: each needs an API key, which the fleet passes as a
 * secret. Keyless and cloud-credential providers (vllm, ollama, vertex, bedrock, azure) would
 * need a reachable endpoint or credentials the fleet does not manage.
 */
export const fleetProviderNames = ["anthropic", "openai", "openrouter", "groq", "gemini"] as const;
export type FleetProviderName = (typeof fleetProviderNames)[number];

export function backendOf(provider: string): ProviderBackend {
    const spec = providerRegistry.find((p) => p.name === provider);
    if (spec === undefined) {
        throw new Error(`"${provider}" is not in ZeptoClaw's provider registry`);
    }
    return spec.backend;
}

/** Rust's to_ascii_lowercase: only A-Z change. */
function asciiLowercase(text: string): string {
    return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function byKeyword(text: string): string | undefined {
    return providerRegistry.find((spec) => spec.keywords.some((k) => text.includes(k)))?.name;
}

/**
 * infer_provider_name_for_model: `openrouter/...` goes to OpenRouter; a vendor prefix naming a
 * configured provider goes to it; any other prefixed id goes to OpenRouter when configured; else
 * the first provider whose keyword appears in the name (after the prefix, if any).
 */
export function inferProviderForModel(model: string, available: ReadonlyArray<string>): string | undefined {
    const lower = asciiLowercase(model);
    const slash = lower.indexOf("/");
    if (slash < 0) {
        return byKeyword(lower);
    }
    const prefix = lower.slice(0, slash);
    if (prefix === "openrouter") {
        return "openrouter";
    }
    if (providerRegistry.some((p) => p.name === prefix) && available.includes(prefix)) {
        return prefix;
    }
    if (available.includes("openrouter")) {
        return "openrouter";
    }
    return byKeyword(lower.slice(slash + 1));
}

/** The configured providers in registry order, as resolve_runtime_providers lists them. */
export function inRegistryOrder(configured: ReadonlyArray<string>): string[] {
    return providerRegistry.map((p) => p.name).filter((name) => configured.includes(name));
}

/**
 * The provider that serves `model` at startup (validate_model_provider_compat, and
 * build_runtime_provider_chain in src/kernel/provider.rs): the inferred one when it is configured,
 * else the first configured provider in registry order.
 */
export function servingProvider(model: string, configured: ReadonlyArray<string>): string | undefined {
    const ordered = inRegistryOrder(configured);
    const inferred = inferProviderForModel(model, ordered);
    return inferred !== undefined && ordered.includes(inferred) ? inferred : ordered[0];
}
