/**
 * The names ZeptoClaw's built-in tools are registered under: the names `tools.deny`, tool
 * profiles and approval lists match (case-insensitively). From the `filter.is_enabled("...")`
 * calls of src/kernel/registrar.rs register_all_tools and src/cli/common.rs
 * create_agent_with_template. Tools from MCP servers are named `<server>_<tool>`, plugin,
 * composed and custom tools by their own definitions: none of them can be listed in advance.
 */
export const builtinToolNames = [
    "android",
    "ask_clarification",
    "browser",
    "create_tool",
    "cron",
    "delegate",
    "docx_read",
    "echo",
    "edit_file",
    "find",
    "find_skills",
    "git",
    "google",
    "google_sheets",
    "grep",
    "http_request",
    "install_skill",
    "list_dir",
    "longterm_memory",
    "memory_get",
    "memory_search",
    "message",
    "pdf_read",
    "project",
    "r8r",
    "read_file",
    "reminder",
    "shell",
    "spawn",
    "transcribe",
    "web_fetch",
    "web_search",
    "whatsapp_send",
    "write_file",
] as const;
export type BuiltinToolName = (typeof builtinToolNames)[number];
