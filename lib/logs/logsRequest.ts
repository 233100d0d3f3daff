import { commonOptions, readCommandLine } from "../cli/commandLine";
import { tenantNames } from "../docker/tenantNames";
import { unknownStackMessage } from "../tenants/selectTenants";
import { tenantNamePattern } from "../tenants/tenantSchema";

export const logsUsage =
    "usage: npm run logs -- -s <stack> <tenant> [--since <1h | 30m | 2026-12-01T08:00:00Z>] [-f] [--json]";

/** What `npm run logs` was asked for. */
export interface LogsRequest {
    stack: string;
    tenant: string;
    /** The tenant's container on the stack's engine. */
    container: string;
    /** Passed to `docker logs --since`: a duration back from now, or a point in time. */
    since?: string;
    follow: boolean;
    /** Lines as ZeptoClaw wrote them (JSON events), for piping, instead of readable ones. */
    json: boolean;
}

export type ParsedLogsRequest = { ok: true; request: LogsRequest } | { ok: false; message: string };

/** A Go duration of whole units, as the Docker CLI's --since reads it (`90s`, `1h30m`). */
const durationPattern = /^(\d+(h|m|s))+$/;
/** A date, or a date and time in RFC 3339 (the Docker CLI also takes these). */
const timePattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** The command line of `npm run logs`, checked against the stacks the project has. */
export function parseLogsRequest(argv: string[], knownStacks: ReadonlyArray<string>): ParsedLogsRequest {
    const read = readCommandLine(
        argv,
        {
            stack: commonOptions.stack,
            since: { type: "string" },
            follow: { type: "boolean", short: "f", default: false },
            json: { type: "boolean", default: false },
        },
        logsUsage,
    );
    if (!read.ok) {
        return read;
    }
    const { values, positionals } = read.line;
    const { stack, since } = values;
    if (stack === undefined || stack === "") {
        return {
            ok: false,
            message: `name the stack with -s <stack> (known stacks: ${knownStacks.join(", ")})\n${logsUsage}`,
        };
    }
    if (!knownStacks.includes(stack)) {
        return { ok: false, message: unknownStackMessage(stack, knownStacks) };
    }
    if (positionals.length !== 1) {
        return { ok: false, message: `name one tenant\n${logsUsage}` };
    }
    const tenant = positionals[0];
    if (!tenantNamePattern.test(tenant)) {
        return {
            ok: false,
            message: `"${tenant}" is not a tenant name (lowercase letters, digits and dashes, as in tenants/<name>.yaml)`,
        };
    }
    if (since !== undefined && !durationPattern.test(since) && !timePattern.test(since)) {
        return {
            ok: false,
            message: `--since "${since}" is neither a duration (90s, 30m, 1h30m) nor a time (2026-12-01T08:00:00Z)`,
        };
    }
    return {
        ok: true,
        request: {
            stack,
            tenant,
            container: tenantNames(tenant, "").container,
            since,
            follow: values.follow,
            json: values.json,
        },
    };
}

/** The `docker logs` arguments for a request: timestamps are ZeptoClaw's own, in each event. */
export function dockerLogsArgs(request: LogsRequest): string[] {
    return [
        "logs",
        ...(request.since === undefined ? [] : ["--since", request.since]),
        ...(request.follow ? ["--follow"] : []),
        request.container,
    ];
}
