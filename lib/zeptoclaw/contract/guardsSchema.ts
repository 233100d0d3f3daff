import { z } from "zod";
import { u64 } from "./numbers";

export const approvalPolicies = [
    "always_allow",
    "always_require",
    "require_for_tools",
    "require_for_dangerous",
] as const;

/**
 * approval: src/tools/approval.rs ApprovalConfig (`#[serde(default)]`: enabled true, policy
 * require_for_dangerous, dangerous_tools shell/write_file/edit_file/google). A gateway has no one
 * to ask, so a tool that needs approval is not run (src/agent/loop.rs resolve_tool_approval).
 * auto_approve_timeout_secs is left out: only the interactive CLI reads it.
 */
export const approvalSchema = z.strictObject({
    enabled: z.boolean().optional(),
    policy: z.enum(approvalPolicies).optional(),
    /** Tool names (or `prefix*` / `*suffix` patterns) under require_for_tools. */
    require_for: z.array(z.string().min(1)).optional(),
    /** Tool names (or patterns) under require_for_dangerous. */
    dangerous_tools: z.array(z.string().min(1)).optional(),
});

/**
 * safety: src/safety/mod.rs SafetyConfig (`#[serde(default)]`: every check on, max_output_length
 * 100000). taint is left out.
 */
export const safetySchema = z.strictObject({
    enabled: z.boolean().optional(),
    injection_check_enabled: z.boolean().optional(),
    leak_detection_enabled: z.boolean().optional(),
    max_output_length: u64.min(1).optional(),
});
