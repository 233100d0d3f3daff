import { ZeptoClawSettings } from "../tenants/tenantSchema";
import { substituteSecrets } from "./secretRefs";

/** Where the tenant's data volume is mounted, and HOME of its process. */
export const dataDir = "/data";
/** The one file ZeptoClaw reads: `$HOME/.zeptoclaw/config.json`. */
export const configPathInContainer = `${dataDir}/.zeptoclaw/config.json`;
/** The seed's workspace; it lies on the data volume, so it survives container replacement. */
export const workspaceDir = `${dataDir}/workspace`;

/**
 * The config.json ZeptoClaw reads, from validated settings and the values of the secrets they
 * reference. It has the shape of the seed's add-tenant.sh output, so tenants migrated from the
 * seed run with the same settings.
 */
export function renderZeptoClawConfig(
    settings: ZeptoClawSettings,
    secrets: Readonly<Record<string, string>>,
): object {
    const resolved = substituteSecrets(settings, secrets) as Record<string, unknown> & {
        agents: { defaults: Record<string, unknown> };
        tools: Record<string, unknown> & { web?: { search?: Record<string, unknown> } };
        swarm: Record<string, unknown>;
    };
    const webSearch = resolved.tools.web?.search ?? { provider: "brave", max_results: 5 };
    return {
        ...resolved,
        agents: { defaults: { workspace: workspaceDir, ...resolved.agents.defaults } },
        tools: { ...resolved.tools, web: { search: { api_key: "", ...webSearch } } },
        swarm: { ...resolved.swarm, roles: {} },
    };
}

/** Stable text: the same settings and secrets always give the same bytes (and config hash). */
export function renderZeptoClawConfigJson(
    settings: ZeptoClawSettings,
    secrets: Readonly<Record<string, string>>,
): string {
    return `${JSON.stringify(renderZeptoClawConfig(settings, secrets), null, 2)}\n`;
}
