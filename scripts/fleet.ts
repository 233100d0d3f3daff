/**
 * `npm run fleet -- preview|up|refresh|status -e <environment> [--changed <git range>] [--parallel <n>]`:
 * one operation on every host stack of an environment, through Pulumi's Automation API, a few
 * hosts at a time; then one line per host (result, duration, changes) and an exit status for CI.
 * `npm run fleet -- place -e <environment>` places the environment's new tenants (fleetPlace.ts).
 *
 * An environment is the stacks whose `zeptoclaw-fleet:environment` names it (a stack without one
 * is its own environment): `Pulumi.prod-fsn1-a.yaml` and `Pulumi.prod-fsn1-b.yaml` with
 * `environment: prod`. A tenant is on the hosts its file's `stacks` lists. `--changed` keeps the
 * hosts the git range affects: a stack's own settings, the hosts a changed tenant file listed
 * before or lists now, every host for a change to the program (lib/fleet/changedHosts.ts).
 *
 * preview and up run the policy pack (policy/) as the workflows do. status runs `npm run status`
 * for each host in this process. The Pulumi CLI is the one on PATH when it is recent enough, else
 * the pinned version from ~/.pulumi/versions/<version>, installed there by the Automation API
 * when absent
 * (lib/cli/pulumiCliChoice.ts).
 *
 * `npm run fleet -- move <tenant> <host-stack>` moves a tenant with its data (scripts/fleetMove.ts);
 * `npm run fleet -- drain <host-stack>` moves every tenant off a host (scripts/fleetDrain.ts).
 *
 * Exit status: 0 when every host succeeded, 1 when one failed, 3 when status found a host with
 * tenants that need attention, 2 for a usage error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Writable } from "node:stream";
import { LocalWorkspace, OpMap, PulumiCommand } from "@pulumi/pulumi/automation";
import {
    CommandContext,
    errorMessage,
    exitFailure,
    exitUsage,
    fail,
    projectRoot,
    runMain,
} from "../lib/cli/command";
import { lastLine, runSync } from "../lib/cli/processRunner";
import { PulumiDriver, pulumiDriver } from "../lib/cli/pulumiDriver";
import { mapLimit } from "../lib/concurrency/mapLimit";
import { changedHosts } from "../lib/fleet/changedHosts";
import { environmentStacks } from "../lib/fleet/fleetEnvironments";
import { HostStack } from "../lib/project/hostStack";
import { readFleetProject } from "../lib/project/fleetProject";
import { describeProblem } from "../lib/errors";
import { FleetOperation, FleetRequest, parseFleetRequest } from "../lib/fleet/fleetRequest";
import { Git, gitChanges, resolveGitRange } from "../lib/fleet/gitChanges";
import { HostOutcome, fleetExitStatus, formatChanges, formatOutcomes } from "../lib/fleet/hostOutcome";
import { PreviewedHost, renderPreviewComment } from "../lib/fleet/previewComment";
import { HostStatusPage, renderStatusHtml } from "../lib/status/statusHtml";
import { StatusJson } from "../lib/status/statusJson";
import { formatSummary } from "../lib/status/statusTable";
import { pulumiFailure } from "../lib/fleet/pulumiFailure";
import { drainCommand } from "./fleetDrain";
import { moveCommand, reachHosts } from "./fleetMove";
import { PlaceDependencies, defaultPlaceDependencies, placeCommand } from "./fleetPlace";
import { statusCommand } from "./status";

function hostStacks(root: string): HostStack[] {
    const { hosts, problems } = readFleetProject(root);
    if (problems.length > 0) {
        fail(problems.map(describeProblem).join("\n"));
    }
    return hosts;
}

/**
 * The hosts to work on (`selected`): the environment's (`all`), narrowed to those the git range
 * affects.
 */
function selectHosts(
    request: FleetRequest,
    root: string,
    context: CommandContext,
): { all: string[]; selected: string[] } {
    const hosts = hostStacks(root);
    let stacks: string[];
    try {
        stacks = environmentStacks(hosts, request.environment);
    } catch (err) {
        fail(errorMessage(err));
    }
    if (request.changed === undefined) {
        return { all: stacks, selected: stacks };
    }
    const git: Git = (args) => {
        const result = runSync("git", args, { cwd: root });
        return result.code === 0 ? result.stdout : undefined;
    };
    const range = resolveGitRange(git, request.changed);
    if ("error" in range) {
        fail(range.error);
    }
    const tenantsDirs = [...new Set(hosts.map((h) => h.tenantsDir))];
    const affected = changedHosts(gitChanges(git, range, tenantsDirs), stacks);
    for (const host of affected) {
        context.stderr.write(`fleet: ${host.stack} changed by ${host.reasons.join(", ")}\n`);
    }
    return { all: stacks, selected: affected.map((h) => h.stack) };
}

/** The changes Pulumi reports for one operation on one host stack. */
async function runPulumi(
    cli: PulumiCommand,
    root: string,
    stack: string,
    operation: Exclude<FleetOperation, "status" | "place">,
): Promise<OpMap | undefined> {
    const workspace = await LocalWorkspace.selectStack(
        { stackName: stack, workDir: root },
        { pulumiCommand: cli },
    );
    const policyPacks = [path.join(root, "policy")];
    switch (operation) {
        case "preview":
            return (await workspace.preview({ policyPacks })).changeSummary;
        case "up":
            return (await workspace.up({ policyPacks })).summary.resourceChanges;
        case "refresh":
            return (await workspace.refresh()).summary.resourceChanges;
    }
}

/** `npm run status -- --json` for one host, in this process: its summary line, what its exit status says, its page. */
async function hostStatus(
    stack: string,
    root: string,
    driver: Promise<PulumiDriver>,
): Promise<Omit<HostOutcome, "stack" | "seconds"> & { page: HostStatusPage }> {
    let out = "";
    let err = "";
    const sink = (write: (text: string) => void) =>
        new Writable({
            write(chunk: Buffer, _encoding, done) {
                write(chunk.toString("utf8"));
                done();
            },
        });
    const status = await statusCommand(
        ["-s", stack, "--json"],
        { cwd: root, stdout: sink((t) => (out += t)), stderr: sink((t) => (err += t)) },
        driver,
    ).catch((e: unknown) => {
        err += errorMessage(e);
        return exitFailure;
    });
    if (status === 0 || status === 3) {
        const json = JSON.parse(out) as StatusJson;
        return {
            result: status === 0 ? "ok" : "attention",
            detail: formatSummary(json.summary),
            page: { stack, status: json },
        };
    }
    const failure = lastLine(err) || "failed";
    return { result: "failed", detail: failure, page: { stack, failure } };
}

async function timed<T extends Omit<HostOutcome, "stack" | "seconds">>(
    stack: string,
    work: () => Promise<T>,
): Promise<T & HostOutcome> {
    const started = process.hrtime.bigint();
    const outcome = await work();
    return { stack, ...outcome, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** `npm run fleet`, callable in-process: 0 when every host succeeded. */
export async function fleetCommand(
    argv: string[],
    context: CommandContext,
    placeDependencies: PlaceDependencies = defaultPlaceDependencies,
): Promise<number> {
    if (argv[0] === "move") {
        return moveCommand(argv.slice(1), projectRoot(context.cwd), context);
    }
    if (argv[0] === "drain") {
        const root = projectRoot(context.cwd);
        return drainCommand(argv.slice(1), root, context, {
            ...placeDependencies,
            reach: (stacks) => reachHosts(root, stacks, context),
        });
    }
    const parsed = parseFleetRequest(argv);
    if (!parsed.ok) {
        fail(parsed.message, exitUsage);
    }
    const request = parsed.request;
    const root = projectRoot(context.cwd);
    if (request.operation === "place") {
        return placeCommand(request.environment, root, context, placeDependencies);
    }
    const { all, selected: stacks } = selectHosts(request, root, context);
    const writeComment = (previews: PreviewedHost[]) => {
        if (request.comment !== undefined) {
            const comment = renderPreviewComment({
                environment: request.environment,
                changed: request.changed,
                hostCount: all.length,
                previews,
            });
            fs.writeFileSync(path.resolve(context.cwd, request.comment), comment);
        }
    };
    if (stacks.length === 0) {
        context.stdout.write(`no host of ${request.environment} is affected by ${request.changed}\n`);
        writeComment([]);
        return 0;
    }
    const operation = request.operation;
    let outcomes: PreviewedHost[];
    switch (operation) {
        case "status": {
            // One choice of the Pulumi CLI for every host, as preview and up make it.
            const driver = pulumiDriver(root, (line) => context.stderr.write(`fleet: ${line}\n`));
            const statuses = await mapLimit(stacks, request.parallel, (stack) =>
                timed(stack, () => hostStatus(stack, root, driver)),
            );
            if (request.html !== undefined) {
                const page = renderStatusHtml(
                    statuses.map((s) => s.page),
                    new Date(),
                );
                fs.writeFileSync(path.resolve(context.cwd, request.html), page);
            }
            outcomes = statuses;
            break;
        }
        case "preview":
        case "up":
        case "refresh": {
            const { cli } = await pulumiDriver(root, (line) => context.stderr.write(`fleet: ${line}\n`));
            outcomes = await mapLimit(stacks, request.parallel, (stack) =>
                timed(stack, () =>
                    runPulumi(cli, root, stack, operation).then(
                        (changes) => ({
                            result: "ok" as const,
                            detail: formatChanges(changes ?? {}),
                            changes: changes ?? {},
                        }),
                        (err: unknown) => ({
                            result: "failed" as const,
                            detail: pulumiFailure(errorMessage(err)),
                        }),
                    ),
                ),
            );
            break;
        }
    }
    context.stdout.write(`${formatOutcomes(outcomes).join("\n")}\n`);
    writeComment(outcomes);
    return fleetExitStatus(outcomes);
}

if (require.main === module) {
    runMain("fleet", fleetCommand);
}
