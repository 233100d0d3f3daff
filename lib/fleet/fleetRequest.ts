import { commonOptions, readCommandLine, wholeNumberOption } from "../cli/commandLine";

export const fleetOperations = ["preview", "up", "refresh", "status", "place"] as const;
export type FleetOperation = (typeof fleetOperations)[number];

export const fleetUsage =
    "usage: npm run fleet -- preview|up|refresh|status|place -e <environment> [--changed <git range>] [--parallel <n>] [--comment <file>] [--html <file>]\n" +
    "       npm run fleet -- move <tenant> <host-stack> [--take-over] | move <tenant> --abort\n" +
    "       npm run fleet -- drain <host-stack> [--dry-run] [--take-over]";

/** What `npm run fleet` was asked to do. */
export interface FleetRequest {
    operation: FleetOperation;
    environment: string;
    /** Only the hosts this git range affects (`main...HEAD`, `abc123..def456`, or one revision against HEAD). */
    changed?: string;
    /** Hosts worked on at once; default 4. */
    parallel: number;
    /** preview only: where to write the pull request's comment (lib/fleet/previewComment.ts). */
    comment?: string;
    /** status only: where to write the fleet's status page (lib/status/statusHtml.ts). */
    html?: string;
}

export type ParsedFleetRequest = { ok: true; request: FleetRequest } | { ok: false; message: string };

const defaultParallel = 4;

/** The command line, checked: one operation, an environment, a whole number of parallel hosts. */
export function parseFleetRequest(argv: string[]): ParsedFleetRequest {
    const read = readCommandLine(
        argv,
        {
            environment: commonOptions.environment,
            changed: { type: "string" },
            parallel: { type: "string" },
            comment: { type: "string" },
            html: { type: "string" },
        },
        fleetUsage,
    );
    if (!read.ok) {
        return read;
    }
    const { positionals, values } = read.line;
    const operation = positionals[0];
    if (positionals.length !== 1 || !(fleetOperations as ReadonlyArray<string>).includes(operation)) {
        return {
            ok: false,
            message: `name one operation: ${fleetOperations.join(", ")} (got ${positionals.length === 0 ? "none" : positionals.join(" ")})\n${fleetUsage}`,
        };
    }
    if (values.environment === undefined || values.environment === "") {
        return {
            ok: false,
            message: `name the environment with -e <environment>, e.g. -e prod\n${fleetUsage}`,
        };
    }
    const parallel = wholeNumberOption(values.parallel) ?? defaultParallel;
    if (parallel === false) {
        return {
            ok: false,
            message: `--parallel is a whole number of hosts, 1 or more (got "${values.parallel}")`,
        };
    }
    if (operation === "place" && values.changed !== undefined) {
        return {
            ok: false,
            message: `place looks at every tenant of the environment; it takes no --changed`,
        };
    }
    if (values.comment !== undefined && (operation !== "preview" || values.comment === "")) {
        return {
            ok: false,
            message: `--comment takes a file, and goes with preview only: the pull request's comment is a preview`,
        };
    }
    if (values.html !== undefined && (operation !== "status" || values.html === "")) {
        return {
            ok: false,
            message: `--html takes a file, and goes with status only: the page shows the hosts' status`,
        };
    }
    if (values.changed === "") {
        return { ok: false, message: `--changed needs a git range, e.g. --changed origin/main...HEAD` };
    }
    return {
        ok: true,
        request: {
            operation: operation as FleetOperation,
            environment: values.environment,
            changed: values.changed,
            parallel,
            comment: values.comment,
            html: values.html,
        },
    };
}
