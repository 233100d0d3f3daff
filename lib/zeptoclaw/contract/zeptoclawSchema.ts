import { z } from "zod";
import { agentModeSchema, agentsSchema, toolProfilesSchema } from "./agentsSchema";
import { heartbeatSchema, memorySchema, skillsSchema, swarmSchema } from "./backgroundSchema";
import { channelsSchema } from "./channelsSchema";
import { approvalSchema, safetySchema } from "./guardsSchema";
import { modelProviderIssues } from "./modelCompat";
import { providersSchema } from "./providersSchema";
import { refusedKey } from "./refusedKey";
import { toolsSchema } from "./toolsSchema";
import { citing } from "./upstream";

/**
 * The `zeptoclaw` block of a tenant file: the keys of ZeptoClaw's config.json (src/config/types.rs
 * Config) a tenant may set, with upstream's names, types and nesting. Every object is strict:
 * ZeptoClaw ignores unknown keys silently, so a typo would be a silent misconfiguration. The
 * cross-key rules below are the ones the gateway refuses to start with.
 */
export const zeptoclawSchema = z
    .strictObject({
        agents: agentsSchema.prefault({}),
        agent_mode: agentModeSchema.optional(),
        tool_profiles: toolProfilesSchema.optional(),
        providers: providersSchema,
        channels: channelsSchema.prefault({}),
        tools: toolsSchema.prefault({}),
        approval: approvalSchema.optional(),
        safety: safetySchema.optional(),
        heartbeat: heartbeatSchema.prefault({}),
        skills: skillsSchema.prefault({}),
        swarm: swarmSchema.prefault({}),
        memory: memorySchema.optional(),
        logging: refusedKey(
            citing(
                "is set by zeptoclaw-fleet (JSON lines, for docker logs); the level follows RUST_LOG, which wins over logging.level",
                "src/utils/logging.rs init_logging",
            ),
        ),
    })
    .superRefine((settings, ctx) => {
        for (const issue of modelProviderIssues(settings.agents.defaults.model, settings.providers)) {
            ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
        }
        const profile = settings.agents.defaults.tool_profile;
        if (profile !== undefined && settings.tool_profiles?.[profile] === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["agents", "defaults", "tool_profile"],
                message: citing(
                    `names "${profile}", which is not in tool_profiles: ZeptoClaw would silently allow every tool; ` +
                        "define it under tool_profiles or remove tool_profile",
                    "src/kernel/registrar.rs ToolFilter::from_config",
                ),
            });
        }
    });

export type ZeptoClawSettings = z.infer<typeof zeptoclawSchema>;
