import { spawn } from "node:child_process";
import { tenantNames } from "../docker/tenantNames";
import { GatewayHealth, parseGatewayInspect } from "../upgrade/tenantReadiness";
import { TenantOutcome } from "../upgrade/upgradePlan";
import { waitReady } from "../upgrade/waitReady";

/**
 * The tenants' gateways as the Docker CLI in `env` (a stack's engine, lib/cli/stackEngine.ts)
 * inspects them. A container that does not exist makes inspect fail for it alone; the others
 * are printed.
 */
export function inspectGateways(env: NodeJS.ProcessEnv, containers: string[]): Promise<GatewayHealth[]> {
    return new Promise((resolve, reject) => {
        const child = spawn("docker", ["inspect", "--type", "container", ...containers], {
            env,
            stdio: ["ignore", "pipe", "ignore"],
        });
        let stdout = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
        child.on("error", (err: NodeJS.ErrnoException) =>
            reject(err.code === "ENOENT" ? new Error("the docker CLI is not installed or not on PATH") : err),
        );
        child.on("close", () => {
            // A parse error rejects the promise, as a throw inside its executor would.
            resolve(
                Promise.resolve(stdout.trim()).then((text) => (text === "" ? [] : parseGatewayInspect(text))),
            );
        });
    });
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
