import { z } from "zod";

/**
 * The schema of one tenant file (tenants/<name>.yaml). Every object is strict: ZeptoClaw ignores
 * unknown keys silently, so a typo here would be a silent misconfiguration in production.
 */

/** DNS-label style: it becomes part of container, volume and host path names. */
export const tenantNamePattern = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
export const secretNamePattern = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const stackNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Per-tenant uids live above the ranges that hosts give to people and to user-namespace maps. */
export const tenantUidRange = { min: 10_000_000, max: 2_000_000_000 } as const;

const secretRef = z.strictObject(
    {
        secret: z.string().regex(secretNamePattern, {
            error: "a secret name starts with a letter and has only letters, digits, '_' and '-' (at most 64)",
        }),
    },
    {
        error: (issue) =>
            issue.input === undefined
                ? undefined
                : "must be a secret reference such as {secret: telegramBotToken}: secrets never live in tenants/, " +
                  "they are set with `pulumi config set --secret`",
    },
);
export type SecretRef = z.infer<typeof secretRef>;

/** Upstream's default model (src/config/types.rs at v0.9.2). */
export const defaultModel = "claude-sonnet-4-6";
const modelName = z.string().min(1).max(200);
const allowFrom = z.array(z.union([z.string().min(1), z.number().int()])).default([]);

const providerSchema = z.strictObject({
    api_key: secretRef,
    api_base: z.url().optional(),
    model: modelName.optional(),
});

const providersSchema = z
    .strictObject({
        anthropic: providerSchema.optional(),
        openai: providerSchema.optional(),
        openrouter: providerSchema.optional(),
        groq: providerSchema.optional(),
        gemini: providerSchema.optional(),
    })
    .refine((providers) => Object.values(providers).some((p) => p !== undefined), {
        error: "configure at least one provider (anthropic, openai, openrouter, groq or gemini)",
    });

const telegramSchema = z.strictObject({
    enabled: z.boolean().default(true),
    token: secretRef,
    allow_from: allowFrom,
});

const whatsappCloudSchema = z.strictObject({
    enabled: z.boolean().default(true),
    phone_number_id: z.string().min(1),
    access_token: secretRef,
    webhook_verify_token: secretRef,
    allow_from: allowFrom,
});

const channelsSchema = z.strictObject({
    telegram: telegramSchema.optional(),
    whatsapp_cloud: whatsappCloudSchema.optional(),
});

const webSearchSchema = z.strictObject({
    provider: z.enum(["brave"]).default("brave"),
    api_key: secretRef.optional(),
    api_url: z.url().optional(),
    max_results: z.number().int().min(1).max(20).default(5),
});

const toolsSchema = z.strictObject({
    web: z.strictObject({ search: webSearchSchema.optional() }).optional(),
    whatsapp: z
        .strictObject({
            business_account_id: z.string().min(1),
            phone_number_id: z.string().min(1),
            access_token: secretRef,
        })
        .optional(),
    google_sheets: z.strictObject({ access_token: secretRef }).optional(),
});

/** Defaults are those of the seed's add-tenant.sh, so a migrated tenant behaves as before. */
const agentDefaultsSchema = z.strictObject({
    model: modelName.default(defaultModel),
    max_tokens: z.number().int().min(1).max(1_000_000).default(8192),
    temperature: z.number().min(0).max(2).default(0.7),
    max_tool_iterations: z.number().int().min(1).max(1000).default(20),
});

const zeptoclawSchema = z.strictObject({
    agents: z.strictObject({ defaults: agentDefaultsSchema.prefault({}) }).prefault({}),
    providers: providersSchema,
    channels: channelsSchema.prefault({}),
    tools: toolsSchema.prefault({}),
    heartbeat: z
        .strictObject({
            enabled: z.boolean().default(false),
            interval_secs: z.number().int().min(60).max(86_400).default(1800),
        })
        .prefault({}),
    skills: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
    swarm: z
        .strictObject({
            enabled: z.boolean().default(true),
            max_depth: z.number().int().min(0).max(10).default(1),
            max_concurrent: z.number().int().min(1).max(64).default(3),
        })
        .prefault({}),
});

/**
 * The seed's compose limits; `cpuReservation` becomes a relative CPU weight (cpu shares).
 * `diskMb` is new (the seed had no disk limit): 1 GB holds years of a small business's sessions
 * and memory, and bounds what one tenant can take from the data volume all tenants share.
 */
export const defaultTenantResources = {
    memoryMb: 128,
    memoryReservationMb: 32,
    cpus: 0.25,
    cpuReservation: 0.05,
    pids: 256,
    diskMb: 1024,
} as const;

/**
 * Bounds of `resources.diskMb`. Below 64 MB a tenant could not keep its sessions for long; the
 * upper bound only catches unit mistakes (a size in KB or bytes), 1 TB being beyond any volume.
 */
export const tenantDiskMbRange = { min: 64, max: 1_048_576 } as const;

const resourcesSchema = z
    .strictObject({
        memoryMb: z.number().int().min(32).default(defaultTenantResources.memoryMb),
        memoryReservationMb: z.number().int().min(4).default(defaultTenantResources.memoryReservationMb),
        cpus: z.number().min(0.01).max(64).default(defaultTenantResources.cpus),
        cpuReservation: z.number().min(0.01).max(64).default(defaultTenantResources.cpuReservation),
        pids: z.number().int().min(32).max(32_768).default(defaultTenantResources.pids),
        /** Its data (the volume at /data), as a per-uid XFS quota; files are bounded with it. */
        diskMb: z
            .number()
            .int()
            .min(tenantDiskMbRange.min)
            .max(tenantDiskMbRange.max)
            .default(defaultTenantResources.diskMb),
    })
    .superRefine((r, ctx) => {
        if (r.memoryReservationMb > r.memoryMb) {
            ctx.addIssue({
                code: "custom",
                path: ["memoryReservationMb"],
                message: `is ${r.memoryReservationMb} MB, above memoryMb (${r.memoryMb} MB); lower it or raise memoryMb`,
            });
        }
        if (r.cpuReservation > r.cpus) {
            ctx.addIssue({
                code: "custom",
                path: ["cpuReservation"],
                message: `is ${r.cpuReservation}, above cpus (${r.cpus}); lower it or raise cpus`,
            });
        }
    });

/** Docker label keys; `com.zeptoclaw.` is ours and cannot be overridden. */
const labelKey = z
    .string()
    .regex(/^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$/, {
        error: "a label key has lowercase letters, digits, '.', '_', '-' and '/' only",
    })
    .refine((key) => !key.startsWith("com.zeptoclaw."), {
        error: "labels under com.zeptoclaw. are set by zeptoclaw-fleet; choose another key",
    });

export const tenantFileSchema = z.strictObject({
    name: z.string().regex(tenantNamePattern, {
        error: "a tenant name is 1 to 40 lowercase letters, digits and '-', not starting or ending with '-'",
    }),
    stacks: z
        .array(z.string().regex(stackNamePattern, { error: "not a valid stack name" }))
        .min(1, { error: "list at least one stack this tenant runs in, e.g. [dev, prod]" }),
    uid: z.number().int().min(tenantUidRange.min).max(tenantUidRange.max).optional(),
    zeptoclaw: zeptoclawSchema,
    resources: resourcesSchema.prefault({}),
    labels: z.record(labelKey, z.string().max(512)).default({}),
    /**
     * The Docker volume holding the tenant's data. Default `<name>-data`; set it to adopt an
     * existing volume, such as the seed's compose volume `<project>_<name>-data`.
     */
    volume: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{1,127}$/, {
            error: "is a Docker volume name (letters, digits, '_', '.', '-')",
        })
        .optional(),
});

export type TenantFile = z.infer<typeof tenantFileSchema>;
export type ZeptoClawSettings = TenantFile["zeptoclaw"];
export type TenantResources = TenantFile["resources"];
