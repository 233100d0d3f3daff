import { tenantNames } from "../docker/tenantNames";
import { GatewayHealth, parseGatewayInspect } from "../upgrade/tenantReadiness";
import { TenantOutcome } from "../upgrade/upgradePlan";
import { waitReady } from "../upgrade/waitReady";
import { run } from "./processRunner";

/**
 * The tenants' gateways as the Docker CLI in `env` (a stack's engine, lib/cli/stackEngine.ts)
 * inspects them. A container that does not exist makes inspect fail for it alone; the others
 * are printed.
 */
export async function inspectGateways(
    env: NodeJS.ProcessEnv,
    containers: string[],
): Promise<GatewayHealth[]> {
    const { stdout } = await run("docker", ["inspect", "--type", "container", ...containers], { env });
    return stdout.trim() === "" ? [] : parseGatewayInspect(stdout.trim());
}

/** Waits until the tenants' gateways on the engine in `env` run `version`, healthy, or will not. */
export function waitGatewaysReady(
    env: NodeJS.ProcessEnv,
    tenants: string[],
    version: string,
    timeoutMs: number,
): Promise<TenantOutcome[]> {
    const containers = new Map(tenants.map((t) => [t, tenantNames(t, "").container]));
    return waitReady(containers, version, { timeoutMs, inspect: (names) => inspectGateways(env, names) });
}
