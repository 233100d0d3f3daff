import { z } from "zod";
import { plain } from "./encryptedValue";
import { u32, u64 } from "./numbers";
import { refusedKey } from "./refusedKey";
import { citing } from "./upstream";

/**
 * Upstream's default model: COMPILE_TIME_DEFAULT_MODEL in src/config/types.rs, unless the binary
 * was built with ZEPTOCLAW_DEFAULT_MODEL, which upstream's Dockerfile does not set.
 */
export const upstreamDefaultModel = "claude-sonnet-4-6";

/** The modes of src/security/agent_mode.rs AgentMode, from the most restricted to full autonomy. */
export const agentModes = ["observer", "assistant", "autonomous"] as const;
export type AgentMode = (typeof agentModes)[number];
/** AgentModeConfig::default. */
export const upstreamDefaultAgentMode: AgentMode = "assistant";

function isTimeZone(name: string): boolean {
    try {
        new Intl.DateTimeFormat("en", { timeZone: name });
        return true;
    } catch {
        return false;
    }
}

export const modelName = plain(z.string().min(1).max(200));

/**
 * agents.defaults: src/config/types.rs AgentDefaults (`#[serde(default)]`, so a missing key takes
 * AgentDefaults::default). The first four are always written, with upstream's defaults; the rest
 * only when set. Upstream keys left out: streaming (CLI only), active_hand and loop_guard
 * (refused as unknown keys until a tenant needs them).
 */
export const agentDefaultsSchema = z.strictObject({
    workspace: refusedKey("is set by zeptoclaw-fleet: /data/workspace, on the tenant's data volume"),
    model: modelName.default(upstreamDefaultModel),
    max_tokens: u32.min(1).default(8192),
    temperature: z.number().min(0).max(2).default(0.7),
    max_tool_iterations: u32.min(1).default(20),
    /** Wall-clock limit of one agent run; upstream default 300. */
    agent_timeout_secs: u64.min(1).optional(),
    /** Limit of one tool call; upstream default 0, meaning agent_timeout_secs. */
    tool_timeout_secs: u64.optional(),
    /** Tool calls per run; upstream default none (unlimited). */
    max_tool_calls: u32.min(1).optional(),
    /** Input plus output tokens per session; upstream default 0 (unlimited). */
    token_budget: u64.optional(),
    /** Replaces upstream's system prompt when set (src/cli/common.rs create_agent_with_template). */
    system_prompt: plain(z.string().min(1).max(100_000)).optional(),
    /** IANA name; upstream default: TZ, else /etc/localtime, else UTC. */
    timezone: z
        .string()
        .refine(isTimeZone, { error: "is not an IANA time zone such as Asia/Kuala_Lumpur or UTC" })
        .optional(),
    /** Name of an entry of `tool_profiles`; upstream default none (all tools). */
    tool_profile: z.string().min(1).optional(),
    /** Shorter tool descriptions; upstream default false. */
    compact_tools: z.boolean().optional(),
    /** What to do with messages arriving during a run; upstream default collect. */
    message_queue_mode: z.enum(["collect", "followup"]).optional(),
});

export const agentsSchema = z.strictObject({ defaults: agentDefaultsSchema.prefault({}) });

/** agent_mode: src/security/agent_mode.rs AgentModeConfig (`mode`, default "assistant"). */
export const agentModeSchema = z.strictObject({
    mode: z.enum(agentModes, {
        error: citing(
            "is observer, assistant or autonomous (lowercase): ZeptoClaw runs any other value with full autonomy",
            "src/security/agent_mode.rs AgentModeConfig::resolve",
        ),
    }),
});

/**
 * tool_profiles: src/config/types.rs Config.tool_profiles, a map of profile name to the tools it
 * allows (null: all tools). Selected by agents.defaults.tool_profile.
 */
export const toolProfilesSchema = z.record(
    z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "a profile name has letters, digits, '_' and '-'" }),
    z.array(z.string().min(1)).nullable(),
);
