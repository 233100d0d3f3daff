import { z } from "zod";
import { labelKeys } from "../docker/labels";
import { dataDir } from "../docker/containerPaths";
import { readDockerInspect } from "../docker/dockerInspect";
import { TenantReport, latestReport } from "./tenantReport";

/** What the status line shows of one tenant container, from `docker inspect`. */
export interface TenantContainer {
    id: string;
    /** Without Docker's leading "/". */
    name: string;
    /** The `com.zeptoclaw.tenant` label. */
    tenant: string;
    /** Docker's state: created, running, paused, restarting, removing, exited or dead. */
    state: string;
    /** healthy, unhealthy, starting; `none` when the container has no health check. */
    health: string;
    restartCount: number;
    /** Bytes; 0 means no limit. */
    memoryLimit: number;
    /** Billionths of a CPU; 0 means no limit. */
    nanoCpus: number;
    /** The volume mounted at /data, if any. */
    dataVolume?: string;
    /** The gateway's own figures from the newest health probe of its current run, if any. */
    report?: TenantReport;
}

// Loose: only these fields are read; Docker versions add others.
const inspectSchema = z.array(
    z.looseObject({
        Id: z.string(),
        Name: z.string(),
        RestartCount: z.number(),
        Config: z.looseObject({ Labels: z.record(z.string(), z.string()).nullish() }),
        State: z.looseObject({
            Status: z.string(),
            StartedAt: z.string(),
            Health: z
                .looseObject({
                    Status: z.string(),
                    Log: z.array(z.looseObject({ End: z.string(), Output: z.string() })).nullish(),
                })
                .nullish(),
        }),
        HostConfig: z.looseObject({ Memory: z.number().nullish(), NanoCpus: z.number().nullish() }),
        Mounts: z
            .array(z.looseObject({ Type: z.string(), Name: z.string().optional(), Destination: z.string() }))
            .nullish(),
    }),
);

/** Reads `docker inspect <container>...` output; throws naming the first field that does not fit. */
export function parseContainerInspect(json: string): TenantContainer[] {
    return readDockerInspect(json, inspectSchema).map((c) => ({
        id: c.Id,
        name: c.Name.replace(/^\//, ""),
        tenant: c.Config.Labels?.[labelKeys.tenant] ?? "",
        state: c.State.Status,
        health: c.State.Health?.Status ?? "none",
        restartCount: c.RestartCount,
        memoryLimit: c.HostConfig.Memory ?? 0,
        nanoCpus: c.HostConfig.NanoCpus ?? 0,
        dataVolume: c.Mounts?.find((m) => m.Type === "volume" && m.Destination === dataDir)?.Name,
        report: latestReport(
            (c.State.Health?.Log ?? []).map((p) => ({ end: p.End, output: p.Output })),
            new Date(c.State.StartedAt),
        ),
    }));
}
