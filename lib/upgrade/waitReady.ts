import { GatewayHealth, readinessOf } from "./tenantReadiness";
import { TenantOutcome } from "./upgradePlan";

export interface WaitReadyOptions {
    /** The gateways of these containers, as the engine has them now (absent when it has none). */
    inspect: (containers: string[]) => Promise<GatewayHealth[]>;
    timeoutMs: number;
    pollMs?: number;
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
}

/**
 * Waits until every tenant runs `version` and is healthy, or has failed for good, or the
 * timeout has passed; a tenant still waiting then fails with what it was waiting for.
 * `containers` maps each tenant to its gateway container's name.
 */
export async function waitReady(
    containers: ReadonlyMap<string, string>,
    version: string,
    options: WaitReadyOptions,
): Promise<TenantOutcome[]> {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const deadline = now() + options.timeoutMs;
    for (;;) {
        const names = [...containers.values()];
        const found = names.length === 0 ? [] : await options.inspect(names);
        const byName = new Map(found.map((g) => [g.container, g]));
        const outcomes = [...containers.entries()].map(([tenant, container]) => ({
            tenant,
            readiness: readinessOf(byName.get(container), version),
        }));
        const waiting = outcomes.filter((o) => o.readiness.kind === "waiting");
        const timedOut = now() >= deadline;
        if (waiting.length === 0 || timedOut) {
            return outcomes.map(({ tenant, readiness }): TenantOutcome => {
                switch (readiness.kind) {
                    case "ready":
                        return { tenant, ready: true };
                    case "failed":
                        return { tenant, ready: false, reason: readiness.reason };
                    case "waiting":
                        return {
                            tenant,
                            ready: false,
                            reason: `not ready after ${Math.round(options.timeoutMs / 1000)} s (${readiness.reason})`,
                        };
                }
            });
        }
        await sleep(Math.min(options.pollMs ?? 2000, Math.max(0, deadline - now())));
    }
}
