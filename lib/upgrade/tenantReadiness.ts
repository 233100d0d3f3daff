import { z } from "zod";
import { readDockerInspect } from "../docker/dockerInspect";
import { labelKeys } from "../docker/labels";

/** What an upgrade reads of one tenant's gateway container, from `docker inspect`. */
export interface GatewayHealth {
    /** Without Docker's leading "/". */
    container: string;
    /** The `com.zeptoclaw.version` label: the version the container was created for. */
    version?: string;
    /** created, running, paused, restarting, removing, exited or dead. */
    state: string;
    exitCode: number;
    /** healthy, unhealthy, starting; `none` without a health check. */
    health: string;
    /** The last health probe Docker kept (State.Health.Log): its exit code and output, on one line. */
    lastProbe?: string;
}

/** A tenant's readiness on the version it should run. */
export type Readiness =
    | { kind: "ready" }
    /** Docker has not decided yet: worth waiting for. */
    | { kind: "waiting"; reason: string }
    /** It will not become ready on its own. */
    | { kind: "failed"; reason: string };

/** The readiness of one tenant's gateway, which should run `version`; undefined when it does not exist. */
export function readinessOf(gateway: GatewayHealth | undefined, version: string): Readiness {
    if (gateway === undefined) {
        return { kind: "failed", reason: "its container does not exist" };
    }
    if (gateway.version !== version) {
        return {
            kind: "failed",
            reason: `its container runs ${gateway.version ?? "no known version"}, not ${version}`,
        };
    }
    if (gateway.state !== "running") {
        return {
            kind: "failed",
            reason: `its container is ${gateway.state} (exit code ${gateway.exitCode})`,
        };
    }
    const probe = gateway.lastProbe === undefined ? "" : ` (${gateway.lastProbe})`;
    switch (gateway.health) {
        case "healthy":
            return { kind: "ready" };
        case "unhealthy":
            return { kind: "failed", reason: `unhealthy${probe}` };
        case "starting":
            return { kind: "waiting", reason: `health starting${probe}` };
        default:
            return {
                kind: "failed",
                reason: `health "${gateway.health}": its container has no health check`,
            };
    }
}

// Loose: only these fields are read; Docker versions add others.
const inspectSchema = z.array(
    z.looseObject({
        Name: z.string(),
        Config: z.looseObject({ Labels: z.record(z.string(), z.string()).nullish() }),
        State: z.looseObject({
            Status: z.string(),
            ExitCode: z.number(),
            Health: z
                .looseObject({
                    Status: z.string(),
                    Log: z.array(z.looseObject({ ExitCode: z.number(), Output: z.string() })).nullish(),
                })
                .nullish(),
        }),
    }),
);

/** Probe output is the tenant's to write: one line, printable, bounded. */
function probeLine(output: string): string {
    const line = output
        .replace(/[^\x20-\x7e\n]/g, "?")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "")
        .join(" / ");
    return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

/** Reads `docker inspect <container>...` output; throws naming the first field that does not fit. */
export function parseGatewayInspect(json: string): GatewayHealth[] {
    return readDockerInspect(json, inspectSchema).map((c) => {
        const log = c.State.Health?.Log ?? [];
        const last = log.length === 0 ? undefined : log[log.length - 1];
        const output = last === undefined ? "" : probeLine(last.Output);
        return {
            container: c.Name.replace(/^\//, ""),
            version: c.Config.Labels?.[labelKeys.version],
            state: c.State.Status,
            exitCode: c.State.ExitCode,
            health: c.State.Health?.Status ?? "none",
            ...(last === undefined
                ? {}
                : { lastProbe: `last probe exit ${last.ExitCode}${output === "" ? "" : `: ${output}`}` }),
        };
    });
}
