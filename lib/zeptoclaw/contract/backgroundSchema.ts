import { z } from "zod";
import { u32, u64 } from "./numbers";
import { refusedKey } from "./refusedKey";
import { citing } from "./upstream";

/** heartbeat: src/config/types.rs HeartbeatConfig (default off, every 1800 s). */
export const heartbeatSchema = z.strictObject({
    enabled: z.boolean().default(false),
    interval_secs: z.number().int().min(60).max(86_400).default(1800),
    /**
     * "channel:chat_id" (e.g. telegram:123456789); upstream falls back to an internal channel,
     * delivering nothing, when it is malformed (src/cli/gateway.rs parse_deliver_to).
     */
    deliver_to: z
        .string()
        .regex(/^[^:]+:.+$/, { error: 'is "channel:chat_id", such as "telegram:123456789"' })
        .optional(),
});

/** skills: src/config/types.rs SkillsConfig (default on). */
export const skillsSchema = z.strictObject({
    enabled: z.boolean().default(true),
    always_load: z.array(z.string().min(1)).optional(),
    disabled: z.array(z.string().min(1)).optional(),
});

/** swarm: src/config/types.rs SwarmConfig (delegation to sub-agents; default on, 3 at once). */
export const swarmSchema = z.strictObject({
    enabled: z.boolean().default(true),
    max_concurrent: z.number().int().min(1).max(64).default(3),
    max_depth: refusedKey(
        citing(
            "is never read by ZeptoClaw (delegation is one level deep whatever it says); remove it",
            "grep max_depth src/",
        ),
    ),
});

/** memory.hygiene: src/memory/hygiene.rs HygieneConfig (on, every 12 h, threshold 0.1, 1000 entries). */
export const hygieneSchema = z.strictObject({
    enabled: z.boolean().optional(),
    interval_hours: u64.min(1).optional(),
    expired_threshold: z.number().min(0).max(1).optional(),
    max_entries: u32.min(1).optional(),
    conversation_keep: refusedKey(
        citing(
            "is never read by ZeptoClaw (reserved for future use); remove it",
            "src/memory/hygiene.rs HygieneConfig",
        ),
    ),
});

/**
 * memory: src/config/types.rs MemoryConfig. Only the built-in backend or none: the others need
 * build features or an embedding provider.
 */
export const memorySchema = z.strictObject({
    backend: z.enum(["builtin", "none"]).optional(),
    hygiene: hygieneSchema.optional(),
});
