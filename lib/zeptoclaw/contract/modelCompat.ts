import { ProviderBackend, backendOf, inRegistryOrder, servingProvider } from "./providerRegistry";
import { citing } from "./upstream";

const source =
    "src/config/validate.rs validate_model_provider_compat, checked by src/cli/gateway.rs before start";

/**
 * check_model_backend_compat: the Anthropic API serves only `claude-*` models; the OpenAI
 * provider itself refuses `claude-*`; other OpenAI-compatible providers (OpenRouter, Groq,
 * Gemini...) accept any name. Case-insensitive.
 */
export function modelBackendMismatch(
    model: string,
    provider: string,
    backend: ProviderBackend,
): string | undefined {
    const m = model.toLowerCase();
    switch (backend) {
        case "anthropic":
            return m.startsWith("claude-")
                ? undefined
                : `model "${model}" is not a Claude model (claude-*), but provider "${provider}" uses the Anthropic API`;
        case "openai":
            return m.startsWith("claude-") && provider === "openai"
                ? `model "${model}" is a Claude model, but provider "openai" uses the OpenAI API`
                : undefined;
        case "vertex":
            return undefined;
    }
}

export interface ModelIssue {
    /** Path under `zeptoclaw`. */
    path: string[];
    message: string;
}

/**
 * The mismatches the gateway refuses to start with (it exits 1 on any Error diagnostic). A
 * mismatched default model is only a warning upstream when the serving provider has its own
 * `model`, which is then used instead; a mismatched per-provider `model` is always an error.
 */
export function modelProviderIssues(
    defaultModel: string,
    providers: Readonly<Record<string, { model?: string } | undefined>>,
): ModelIssue[] {
    const configured = inRegistryOrder(Object.keys(providers).filter((p) => providers[p] !== undefined));
    const serving = servingProvider(defaultModel, configured);
    if (serving === undefined) {
        return [];
    }
    const issues: ModelIssue[] = [];
    const mismatch = modelBackendMismatch(defaultModel, serving, backendOf(serving));
    if (mismatch !== undefined && providers[serving]?.model === undefined) {
        issues.push({
            path: ["agents", "defaults", "model"],
            message: citing(
                `${mismatch} (it serves this model: ${configured.length > 1 ? "chosen by the model's name, else the first of " + configured.join(", ") : "the only provider"}); ` +
                    `use a model that provider serves, or set providers.${serving}.model`,
                source,
            ),
        });
    }
    for (const provider of configured) {
        const model = providers[provider]?.model;
        const own =
            model === undefined ? undefined : modelBackendMismatch(model, provider, backendOf(provider));
        if (own !== undefined) {
            issues.push({
                path: ["providers", provider, "model"],
                message: citing(`${own}; use a model this provider serves`, source),
            });
        }
    }
    return issues;
}
