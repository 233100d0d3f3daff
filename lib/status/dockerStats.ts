import { parseDockerSize } from "./sizes";

/** One container's usage from `docker stats --no-stream`. */
export interface ContainerUsage {
    /** Bytes, as Docker counts them (without the page cache it can reclaim). */
    memoryUsed: number;
    /** Percent of one CPU: 100 is one full CPU. */
    cpuPercent: number;
}

/**
 * Reads `docker stats --no-stream --format '{{json .}}' <container>...`: one JSON object per
 * line, keyed by `Container` (the name or id as it was given on the command line). Lines that
 * cannot be read (a container that stopped meanwhile prints `--`) are left out.
 */
export function parseDockerStats(text: string): Map<string, ContainerUsage> {
    const usage = new Map<string, ContainerUsage>();
    for (const line of text.split("\n")) {
        if (line.trim() === "") {
            continue;
        }
        let row: { Container?: unknown; MemUsage?: unknown; CPUPerc?: unknown };
        try {
            row = JSON.parse(line) as typeof row;
        } catch {
            continue;
        }
        if (typeof row.Container !== "string" || typeof row.MemUsage !== "string") {
            continue;
        }
        // "18.2MiB / 256MiB": used, then the limit (read from inspect instead, exactly).
        const memoryUsed = parseDockerSize(row.MemUsage.split("/")[0]);
        const cpuPercent = Number(/^([\d.]+)%$/.exec(String(row.CPUPerc).trim())?.[1] ?? NaN);
        if (memoryUsed !== undefined && Number.isFinite(cpuPercent)) {
            usage.set(row.Container, { memoryUsed, cpuPercent });
        }
    }
    return usage;
}
