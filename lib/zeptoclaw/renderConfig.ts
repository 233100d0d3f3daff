import { webhookListener } from "../docker/webhookListener";
import { ZeptoClawSettings } from "./contract/zeptoclawSchema";
import { FleetPolicy } from "./fleetPolicy/fleetPolicy";
import { deniedTools, effectiveAgentMode, effectiveQuota } from "./fleetPolicy/applyFleetPolicy";
import { workspaceDir } from "../docker/containerPaths";
import { substituteSecrets } from "../tenants/secretRefs";

/**
 * The `logging` section: JSON lines, one event per line, for `docker logs` and log shippers
 * (src/config/types.rs LoggingConfig, LogFormat::Json; read at startup by src/cli/mod.rs run).
 */
export const fleetLogging = { format: "json" } as const;

/**
 * The config.json ZeptoClaw reads, from validated settings, the values of the secrets they
 * reference, and the stack's fleet policy. Optional settings the tenant left out are left out
 * here too, so ZeptoClaw applies its own defaults.
 */
export function renderZeptoClawConfig(
    settings: ZeptoClawSettings,
    secrets: Readonly<Record<string, string>>,
    policy: FleetPolicy,
): object {
    const resolved = substituteSecrets(settings, secrets) as ZeptoClawSettings;
    const { deny, web, ...tools } = resolved.tools;
    const denied = deniedTools(policy, deny);
    const providers = Object.fromEntries(
        Object.entries(resolved.providers)
            .filter(([, provider]) => provider !== undefined)
            .map(([name, provider]) => {
                const quota = effectiveQuota(policy, provider?.quota);
                return [name, { ...provider, ...(quota === undefined ? {} : { quota }) }];
            }),
    );
    return {
        agents: { defaults: { workspace: workspaceDir, ...resolved.agents.defaults } },
        agent_mode: { mode: effectiveAgentMode(policy, resolved.agent_mode?.mode) },
        ...(resolved.tool_profiles === undefined ? {} : { tool_profiles: resolved.tool_profiles }),
        providers,
        channels: {
            ...resolved.channels,
            // The listener stands where the host's proxy reaches it (lib/docker/webhookListener.ts).
            ...(resolved.channels.whatsapp_cloud === undefined
                ? {}
                : {
                      whatsapp_cloud: {
                          ...resolved.channels.whatsapp_cloud,
                          bind_address: webhookListener.bindAddress,
                          port: webhookListener.port,
                          path: webhookListener.path,
                      },
                  }),
        },
        tools: { ...tools, ...(web?.search === undefined ? {} : { web }), deny: denied },
        ...(policy.requireApproval || resolved.approval !== undefined
            ? { approval: { ...(policy.requireApproval ? { enabled: true } : {}), ...resolved.approval } }
            : {}),
        ...(policy.requireSafety || resolved.safety !== undefined
            ? {
                  safety: {
                      ...(policy.requireSafety
                          ? { enabled: true, injection_check_enabled: true, leak_detection_enabled: true }
                          : {}),
                      ...resolved.safety,
                  },
              }
            : {}),
        heartbeat: resolved.heartbeat,
        skills: resolved.skills,
        swarm: resolved.swarm,
        ...(resolved.memory === undefined ? {} : { memory: resolved.memory }),
        // After 4 crashes in 5 minutes the startup guard REPLACES tools.deny with [shell,
        // write_file, edit_file] (src/cli/gateway.rs cmd_gateway, StartupGuardConfig defaults in
        // src/config/types.rs): the fleet's denied tools would come back. Docker restarts a
        // crashing tenant anyway, so the guard is off whenever there is a deny list to keep.
        ...(denied.length > 0 ? { gateway: { startup_guard: { enabled: false } } } : {}),
        logging: fleetLogging,
    };
}

/** Objects with their keys sorted, at every depth; arrays keep their order. */
function sortedKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(sortedKeys);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
        );
    }
    return value;
}

/**
 * Stable text: the same settings, secrets and policy always give the same bytes (and config
 * hash), whatever the order of keys in the tenant file.
 */
export function renderZeptoClawConfigJson(
    settings: ZeptoClawSettings,
    secrets: Readonly<Record<string, string>>,
    policy: FleetPolicy,
): string {
    return `${JSON.stringify(sortedKeys(renderZeptoClawConfig(settings, secrets, policy)), null, 2)}\n`;
}
