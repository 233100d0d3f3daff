/**
 * `npm run logs -- -s <stack> <tenant> [--since 1h] [-f] [--json]`: a tenant's log, as ZeptoClaw
 * wrote it to its container's output, read from the stack's engine the way `npm run status`
 * reaches it (the stack's outputs; over SSH, the stack's pinned host key only). JSON events are
 * shown as readable lines; `--json` keeps them as they are, for jq and log shippers. Run from the
 * project folder. Nothing is executed in the tenant's container.
 *
 * Exit status: 0 when the log was read to its end (or followed until Ctrl-C), 2 for a usage
 * error, 1 when the engine or the tenant's container could not be read.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import { Readable, Writable } from "node:stream";
import {
    CommandContext,
    exitFailure,
    exitUsage,
    fail,
    knownStacks,
    projectRoot,
    runMain,
} from "../lib/cli/command";
import { lastLine, runSync, start } from "../lib/cli/processRunner";
import { pulumiDriver } from "../lib/cli/pulumiDriver";
import { stackEngine } from "../lib/cli/stackEngine";
import { LogsRequest, dockerLogsArgs, parseLogsRequest } from "../lib/logs/logsRequest";
import { readableLogLine } from "../lib/logs/readableLogLine";
import { printable } from "../lib/status/statusTable";

/** Each line of `from` to `to`, readable unless the operator asked for JSON. */
function relay(from: Readable, to: Writable, json: boolean): Promise<void> {
    const lines = readline.createInterface({ input: from, crlfDelay: Infinity });
    lines.on("line", (line) => to.write(`${json ? printable(line) : readableLogLine(line)}\n`));
    return new Promise((resolve) => lines.on("close", resolve));
}

async function logs(request: LogsRequest, env: NodeJS.ProcessEnv, context: CommandContext): Promise<number> {
    // Docker's own errors and the container's stderr share the CLI's stderr: ask first whether
    // the container is there, so that "not found" is ours to say.
    const found = runSync(
        "docker",
        ["inspect", "--type", "container", "--format", "{{.Id}}", request.container],
        {
            env,
        },
    );
    if (found.code !== 0) {
        const reason = printable(lastLine(found.stderr)).replace(/^Error: /, "");
        fail(
            `no container ${request.container} on the engine of stack "${request.stack}" (${env.DOCKER_HOST}): ${reason}; npm run status -- -s ${request.stack} lists its tenants`,
            exitFailure,
        );
    }
    const child = start("docker", dockerLogsArgs(request), { env });
    // Ctrl-C reaches the docker CLI too (same process group); its exit ends the relays.
    process.on("SIGINT", () => undefined);
    const [code] = await Promise.all([
        new Promise<number>((resolve) => child.on("close", (status) => resolve(status ?? 0))),
        relay(child.stdout!, context.stdout, request.json),
        relay(child.stderr!, context.stderr, request.json),
    ]);
    return code;
}

/** `npm run logs`, callable in-process: 0 when the log was read, else docker's exit status. */
export async function logsCommand(argv: string[], context: CommandContext): Promise<number> {
    const root = projectRoot(context.cwd);
    const parsed = parseLogsRequest(argv, knownStacks(root));
    if (!parsed.ok) {
        fail(parsed.message, exitUsage);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zc-logs-"));
    try {
        const pulumi = await pulumiDriver(root, (line) => context.stderr.write(`logs: ${line}\n`));
        const engine = stackEngine(parsed.request.stack, root, pulumi, dir);
        if (!engine.ok) {
            fail(engine.message, exitFailure);
        }
        return await logs(parsed.request, engine.env, context);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

if (require.main === module) {
    runMain("logs", logsCommand);
}
