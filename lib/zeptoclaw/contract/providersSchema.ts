import { z } from "zod";
import { modelName } from "./agentsSchema";
import { FleetProviderName, fleetProviderNames } from "./providerRegistry";
import { secretRef } from "./secretRef";
import { u64 } from "./numbers";
import { citing } from "./upstream";

export const quotaPeriods = ["monthly", "daily"] as const;

/**
 * providers.<p>.quota: src/providers/quota.rs QuotaConfig. It has no `#[serde(default)]`, so
 * ZeptoClaw refuses a quota without `period` and `action`: they are always written. `fallback`
 * (switch to another provider) needs providers.fallback, which the fleet does not offer.
 */
export const quotaSchema = z
    .strictObject({
        max_cost_usd: z.number().positive().optional(),
        max_tokens: u64.min(1).optional(),
        period: z.enum(quotaPeriods).default("monthly"),
        action: z.enum(["reject", "warn"]).default("reject"),
    })
    .refine((q) => q.max_cost_usd !== undefined || q.max_tokens !== undefined, {
        error: citing(
            "sets neither max_cost_usd nor max_tokens, so it limits nothing; set one or remove the quota",
            "src/providers/quota.rs QuotaStore::check",
        ),
    });
export type Quota = z.infer<typeof quotaSchema>;

/**
 * providers.<p>: src/config/types.rs ProviderConfig. Left out: auth_method (OAuth needs a token
 * store the fleet does not manage), auth_header and api_version (Azure only).
 */
export const providerSchema = z.strictObject({
    api_key: secretRef,
    api_base: z
        .url({
            protocol: /^https?$/,
            error: "is the provider's API base URL, such as https://api.example.com/v1",
        })
        .optional(),
    /** Used instead of agents.defaults.model when this provider serves. */
    model: modelName.optional(),
    quota: quotaSchema.optional(),
});

/** providers: src/config/types.rs ProvidersConfig, the providers the fleet offers. */
export const providersSchema = z
    .strictObject(
        Object.fromEntries(fleetProviderNames.map((p) => [p, providerSchema.optional()])) as Record<
            FleetProviderName,
            z.ZodOptional<typeof providerSchema>
        >,
    )
    .refine((providers) => Object.values(providers).some((p) => p !== undefined), {
        error: citing(
            `configure at least one provider (${fleetProviderNames.join(", ")}): without one the gateway exits`,
            "src/cli/gateway.rs cmd_gateway",
        ),
    });
