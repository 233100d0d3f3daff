import { z } from "zod";

/**
 * What a tenant's gateway says about itself on /healthz (ZeptoClaw 0.9.2, src/health.rs
 * `start_health_server_legacy`): its resident memory and the usage counters it keeps since it
 * started (`UsageMetrics`). Self-reported: a tenant can print anything here, so these figures are
 * for watching a fleet, not for billing.
 */
export interface TenantReport {
    /** `memory.rss_bytes`; undefined where the platform gives none (`get_rss_bytes`). */
    rssBytes?: number;
    /** `usage`: requests, tool calls, input and output tokens, errors. */
    usage: TenantUsage;
    /** When Docker's probe that carried the report ended. */
    at: Date;
}

export interface TenantUsage {
    requests: number;
    toolCalls: number;
    inputTokens: number;
    outputTokens: number;
    errors: number;
}

/** One entry of `State.Health.Log` in `docker inspect`. */
export interface HealthProbe {
    /** RFC 3339, as Docker prints it. */
    end: string;
    output: string;
}

/**
 * The health check prints /healthz, then fetches /readyz with the same wget; wget writes every
 * document it fetched to the one output, so a ready gateway's probe output ends with the
 * /readyz body, which 0.9.2 prints as this fixed text (src/health.rs). A 503 body is not written
 * (wget keeps error content only with --content-on-error).
 */
const readyBody = '{"status":"ready"}';

const counter = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const healthzSchema = z.looseObject({
    memory: z.looseObject({ rss_bytes: counter }).optional(),
    usage: z.looseObject({
        requests: counter,
        tool_calls: counter,
        input_tokens: counter,
        output_tokens: counter,
        errors: counter,
    }),
});

/** The report in one probe's output; undefined when the output holds none (a failed probe). */
export function parseProbeOutput(output: string, end: Date): TenantReport | undefined {
    const trimmed = output.trim();
    const body = trimmed.endsWith(readyBody) ? trimmed.slice(0, -readyBody.length) : trimmed;
    let json: unknown;
    try {
        json = JSON.parse(body);
    } catch {
        return undefined;
    }
    const parsed = healthzSchema.safeParse(json);
    if (!parsed.success) {
        return undefined;
    }
    const { memory, usage } = parsed.data;
    return {
        rssBytes: memory?.rss_bytes,
        usage: {
            requests: usage.requests,
            toolCalls: usage.tool_calls,
            inputTokens: usage.input_tokens,
            outputTokens: usage.output_tokens,
            errors: usage.errors,
        },
        at: end,
    };
}

/**
 * The newest report among the probes Docker keeps (the last five, moby daemon/health.go
 * `maxLogEntries`), so a probe that just failed does not hide the figures of the one before.
 * Reports older than `startedAt` belong to an earlier run of the container, whose counters are
 * gone: they are not shown as today's.
 */
export function latestReport(probes: ReadonlyArray<HealthProbe>, startedAt: Date): TenantReport | undefined {
    let latest: TenantReport | undefined;
    for (const probe of probes) {
        const end = new Date(probe.end);
        if (Number.isNaN(end.getTime()) || end < startedAt) {
            continue;
        }
        const report = parseProbeOutput(probe.output, end);
        if (report !== undefined && (latest === undefined || report.at > latest.at)) {
            latest = report;
        }
    }
    return latest;
}
