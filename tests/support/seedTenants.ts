import * as fs from "node:fs";
import * as path from "node:path";

/**
 * A tenant's config.json as the seed's add-tenant.sh writes it (upstream scripts/add-tenant.sh at
 * v0.9.2), with the seed's own bugs: a model 0.9.2 refuses, an empty Brave key, swarm.max_depth.
 */
export function seedConfig(apiKey: string, botToken: string): Record<string, unknown> {
    return {
        agents: {
            defaults: {
                workspace: "/data/workspace",
                model: "anthropic/claude-sonnet-4",
                max_tokens: 8192,
                temperature: 0.7,
                max_tool_iterations: 20,
            },
        },
        providers: { anthropic: { api_key: apiKey } },
        channels: { telegram: { enabled: true, token: botToken } },
        tools: { web: { search: { api_key: "", max_results: 5 } } },
        heartbeat: { enabled: false, interval_secs: 1800 },
        skills: { enabled: true },
        swarm: { enabled: true, max_depth: 1, max_concurrent: 3, roles: {} },
    };
}

/** The seed's tenants/ folder: one <name>/config.json per tenant. */
export function writeSeedTenants(dir: string, configs: Record<string, unknown>): void {
    for (const [name, config] of Object.entries(configs)) {
        fs.mkdirSync(path.join(dir, name), { recursive: true });
        fs.writeFileSync(path.join(dir, name, "config.json"), `${JSON.stringify(config, null, 2)}\n`);
    }
}
