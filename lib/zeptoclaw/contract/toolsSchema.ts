import { z } from "zod";
import { plain } from "./encryptedValue";
import { u64 } from "./numbers";
import { refusedKey } from "./refusedKey";
import { secretRef } from "./secretRef";
import { citing } from "./upstream";

/**
 * tools.web.search: src/config/types.rs WebSearchConfig, Brave only. Written only when the tenant
 * sets it: without it ZeptoClaw picks DuckDuckGo, which needs no key. Brave without a key is fatal
 * at startup (src/kernel/registrar.rs register_all_tools), so the key is required.
 */
export const webSearchSchema = z
    .strictObject({
        provider: z.literal("brave").default("brave"),
        api_key: secretRef.optional(),
        max_results: z.number().int().min(1).max(20).default(5),
    })
    .superRefine((search, ctx) => {
        if (search.api_key === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["api_key"],
                message: citing(
                    "is required, as a secret reference such as {secret: braveApiKey}: Brave search without a key stops ZeptoClaw at startup " +
                        "(remove tools.web.search to use DuckDuckGo, which needs none)",
                    "src/kernel/registrar.rs register_all_tools",
                ),
            });
        }
    });

/**
 * tools.whatsapp: src/config/types.rs WhatsAppToolConfig, the whatsapp_send tool (outbound
 * messages through the Cloud API). Without both phone_number_id and access_token the tool is
 * silently not registered, so both are required.
 */
export const whatsappToolSchema = z.strictObject({
    phone_number_id: plain(z.string().min(1)),
    access_token: secretRef,
    /** Template language code; upstream default "ms". */
    default_language: plain(z.string().min(2).max(16)).optional(),
    business_account_id: refusedKey(
        citing("is never read by ZeptoClaw (informational only); remove it", "grep business_account_id src/"),
    ),
});

/**
 * tools.http_request: src/config/types.rs HttpRequestConfig. With an empty allowed_domains the tool
 * is silently not registered (src/kernel/registrar.rs), so at least one domain is required.
 */
export const httpRequestSchema = z.strictObject({
    allowed_domains: z
        .array(z.string().regex(/^[A-Za-z0-9.-]+$/, { error: "is a domain name such as api.example.com" }))
        .min(1, { error: "list at least one domain: without one ZeptoClaw does not register the tool" }),
    /** Upstream default 30. */
    timeout_secs: u64.min(1).optional(),
    /** Upstream default 524288 (512 KB). */
    max_response_bytes: u64.min(1).optional(),
});

/** tools: src/config/types.rs ToolsConfig. */
export const toolsSchema = z.strictObject({
    /**
     * Tool names ZeptoClaw does not register (src/kernel/registrar.rs ToolFilter). The fleet
     * policy's denied tools are added to these.
     */
    deny: z.array(z.string().min(1)).default([]),
    web: z.strictObject({ search: webSearchSchema.optional() }).optional(),
    whatsapp: whatsappToolSchema.optional(),
    /** src/config/types.rs GoogleSheetsToolConfig (an OAuth access token). */
    google_sheets: z.strictObject({ access_token: secretRef }).optional(),
    http_request: httpRequestSchema.optional(),
});
