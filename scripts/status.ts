/**
 * `npm run status -- -s <stack> [--json]`: one line per tenant of the stack, as its engine sees it
 * now: container state, health, restarts, memory and CPU against their limits, the size of its
 * data, its last successful backup, and what the gateway reports about itself (rss, requests,
 * tokens, tool calls, errors; from the output of Docker's last health probes); then a summary
 * line. `--json` prints the same as one JSON document; `--html <file>` also writes a page a person
 * reads, self-contained (lib/status/statusHtml.ts). Run from the project folder.
 *
 * It reaches the engine the way the program does, from the stack's outputs: `dockerHost`, and
 * for an SSH host its `knownHostsLine`, the only host key accepted. It runs the Docker CLI
 * rather than dockerode: for ssh:// the CLI uses OpenSSH, as the program's Docker provider does
 * (the operator's agent, keys and ~/.ssh/config, and options that pin the host key), where
 * dockerode would bring a second SSH implementation with a host check of its own to get right.
 * It only reads: inspect, stats, system df, and `docker cp` of the backup record (the archive
 * API; nothing is executed in a tenant's container).
 *
 * Exit status: 0 when every declared tenant is running and none is unhealthy, 3 when some need
 * attention (for scripts and monitoring), 2 for a usage error, 1 when the engine was not read.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CommandContext, fail, projectRoot, requireStack, runMain } from "../lib/cli/command";
import { commonOptions, parseCommandLine } from "../lib/cli/commandLine";
import { dockerEnvironment } from "../lib/cli/dockerEnvironment";
import { lastLine, run, runBytes } from "../lib/cli/processRunner";
import { PulumiDriver, pulumiDriver } from "../lib/cli/pulumiDriver";
import { mapLimit } from "../lib/concurrency/mapLimit";
import { stackConnection } from "../lib/cli/stackConnection";
import { labelKeys } from "../lib/docker/labels";
import { tenantNames } from "../lib/docker/tenantNames";
import { describeProblem } from "../lib/errors";
import {
    BackupStatus,
    backupRecordMaxBytes,
    backupRecordPath,
    parseBackupRecord,
} from "../lib/status/backupRecord";
import { TenantContainer, parseContainerInspect } from "../lib/status/containerInspect";
import { DockerConnection } from "../lib/status/dockerConnection";
import { renderStatusHtml } from "../lib/status/statusHtml";
import { statusJson } from "../lib/status/statusJson";
import { parseDockerStats } from "../lib/status/dockerStats";
import {
    DeclaredTenant,
    allDeclaredHealthy,
    isMeasurable,
    statusRows,
    summarize,
} from "../lib/status/statusRows";
import { formatStatusTable, formatSummary, printable } from "../lib/status/statusTable";
import { firstFileOfTar } from "../lib/status/tarFile";
import { parseVolumeSizes } from "../lib/status/volumeSizes";
import { readFleetProject, stackTenants } from "../lib/project/fleetProject";

const usage = "usage: npm run status -- -s <stack> [--json] [--html <file>]";
const exitNeedsAttention = 3;

interface StatusOptions {
    /** The stack named with -s. */
    stack?: string;
    /** --json: one JSON document for machines instead of the table. */
    json: boolean;
    /** --html: also write the page a person reads (lib/status/statusHtml.ts) to this file. */
    html?: string;
}

function statusOptions(argv: string[]): StatusOptions {
    const { values } = parseCommandLine(
        argv,
        { stack: commonOptions.stack, json: { type: "boolean", default: false }, html: { type: "string" } },
        usage,
        { positionals: false },
    );
    return { stack: values.stack, json: values.json ?? false, html: values.html };
}

/** The tenants the stack declares in its tenants folder, with their container and volume names. */
function declaredTenants(stack: string, root: string): DeclaredTenant[] {
    const read = stackTenants(readFleetProject(root), stack);
    if (!read.ok) {
        fail(read.message);
    }
    const { tenants, problems } = read.selection;
    if (problems.length > 0) {
        fail(`fix the tenant files first:\n${problems.map((p) => `  - ${describeProblem(p)}`).join("\n")}`);
    }
    // Only the container and volume names are used; the config path does not matter here.
    return tenants.map((t) => {
        const names = tenantNames(t.name, "", t.volume);
        return { name: t.name, container: names.container, volume: names.volume };
    });
}

/** Docker's error without its boilerplate, on one line, safe to print. */
function dockerError(stderr: string): string {
    const line = lastLine(stderr);
    return printable((line === "" ? "no message" : line).replace(/^Error response from daemon: /, ""));
}

/** The tenant's backup record, through the archive API (`docker cp`), read as untrusted input. */
async function readBackup(env: NodeJS.ProcessEnv, container: TenantContainer): Promise<BackupStatus> {
    // The tar stream holds a header before the file: room for it beyond the record's own limit.
    const result = await runBytes("docker", ["cp", `${container.id}:${backupRecordPath}`, "-"], {
        env,
        maxStdoutBytes: backupRecordMaxBytes + 4096,
    });
    if (result.code !== 0) {
        // "Could not find the file" (current engines), "No such container:path" (older ones).
        if (/Could not find the file|No such container:path/.test(result.stderr)) {
            return { kind: "never" };
        }
        return { kind: "unreadable", reason: dockerError(result.stderr).slice(0, 80) };
    }
    const file = firstFileOfTar(result.stdout);
    if (!file.ok) {
        return { kind: "malformed", reason: file.reason };
    }
    return parseBackupRecord(file.content.toString("utf8"));
}

async function status(
    stack: string,
    connection: DockerConnection,
    hostName: string | undefined,
    declared: DeclaredTenant[],
    options: StatusOptions,
    context: CommandContext,
): Promise<number> {
    const warn = (message: string) => context.stderr.write(`status: warning: ${message}\n`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zc-status-"));
    try {
        const prepared = dockerEnvironment(connection, dir);
        const env = prepared.ok ? prepared.env : fail(prepared.message);
        const docker = (args: string[]) => run("docker", args, { env });

        // Every gateway on this stack's host, declared or not.
        const filters = ["--filter", `label=${labelKeys.role}=gateway`];
        if (hostName !== undefined) {
            filters.push("--filter", `label=${labelKeys.host}=${hostName}`);
        }
        const ps = await docker(["ps", "--all", "--quiet", "--no-trunc", ...filters]);
        if (ps.code !== 0) {
            const refused = /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(
                ps.stderr,
            )
                ? `; the host did not present the key in the stack's knownHostsLine, so nothing was sent to it. Check that ${connection.dockerHost} is still the stack's server (pulumi refresh -s ${stack}) before trusting another key`
                : "";
            fail(
                `cannot reach the Docker engine of stack "${stack}" at ${connection.dockerHost}: ${dockerError(ps.stderr)}${refused}`,
            );
        }
        const ids = ps.stdout.split("\n").filter((l) => l.trim() !== "");
        let containers: TenantContainer[] = [];
        if (ids.length > 0) {
            // A container removed since `ps` makes inspect fail for it alone; the others are printed.
            const inspect = await docker(["inspect", ...ids]);
            containers = inspect.stdout.length > 0 ? parseContainerInspect(inspect.stdout) : [];
        }

        const measurable = containers.filter(isMeasurable).map((c) => c.id);
        const [stats, df, backups] = await Promise.all([
            measurable.length === 0
                ? undefined
                : docker(["stats", "--no-stream", "--format", "{{json .}}", ...measurable]),
            docker(["system", "df", "--verbose", "--format", "{{json .Volumes}}"]),
            mapLimit(containers, 8, (c) => readBackup(env, c)),
        ]);
        if (stats !== undefined && stats.code !== 0) {
            warn(`docker stats failed: ${dockerError(stats.stderr)}`);
        }
        let volumeSizes: Map<string, number> | undefined;
        if (df.code === 0) {
            volumeSizes = parseVolumeSizes(df.stdout);
        } else {
            warn(`docker system df failed: ${dockerError(df.stderr)}`);
        }

        const rows = statusRows(declared, {
            containers,
            usage: parseDockerStats(stats?.stdout ?? ""),
            volumeSizes,
            backups: new Map(containers.map((c, i) => [c.id, backups[i]])),
        });
        const summary = summarize(rows);
        const now = new Date();
        const report = statusJson(stack, rows, summary, now);
        const printed = options.json
            ? [JSON.stringify(report, null, 2)]
            : [...formatStatusTable(rows, now), formatSummary(summary)];
        context.stdout.write(`${printed.join("\n")}\n`);
        if (options.html !== undefined) {
            fs.writeFileSync(
                path.resolve(context.cwd, options.html),
                renderStatusHtml([{ stack, status: report }], now),
            );
        }
        return allDeclaredHealthy(summary) ? 0 : exitNeedsAttention;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * `npm run status`, callable in-process: its exit status, 3 when some tenant needs attention.
 * `driver` is the Pulumi CLI a caller already chose (fleet status, for each of its hosts);
 * default: chosen here.
 */
export async function statusCommand(
    argv: string[],
    context: CommandContext,
    driver?: Promise<PulumiDriver>,
): Promise<number> {
    const options = statusOptions(argv);
    const root = projectRoot(context.cwd);
    const stack = requireStack(options.stack, root, usage);
    const declared = declaredTenants(stack, root);
    const pulumi = await (driver ?? pulumiDriver(root, (line) => context.stderr.write(`status: ${line}\n`)));
    const plan = stackConnection(stack, root, pulumi);
    if (!plan.ok) {
        fail(plan.message);
    }
    return status(stack, plan.connection, plan.outputs.hostName, declared, options, context);
}

if (require.main === module) {
    runMain("status", statusCommand);
}
