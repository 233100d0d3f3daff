/**
 * `npm run fleet -- drain <host-stack> [--dry-run] [--take-over]`: moves every tenant of a host to
 * the other hosts of its environment, one after the other, each with its data (`fleet move`),
 * placed by the rules of `fleet place`, so that the host runs none and can be retired or
 * replaced (docs/operations.md). `--dry-run` prints where each tenant would go and changes
 * nothing. Refused, with what is missing, when the other hosts cannot hold them all.
 *
 * A drain keeps a journal beside the project's stacks (.zeptoclaw-fleet/operations/host-<stack>.json):
 * the plan, and how many of its moves are done. Run again after it was stopped or killed, it
 * goes on with the same plan from there; each move keeps its own journal and goes on from its
 * own last step. The journal is the host's lock: a second drain of it is refused while a run
 * that may still be going holds it.
 *
 * Exit status: 0 when the host runs no tenant, 1 when a move stopped (the drain goes on at the
 * next run), 2 for a usage error or a refusal before anything changed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CommandContext, exitFailure, fail } from "../lib/cli/command";
import { commonOptions, parseCommandLine } from "../lib/cli/commandLine";
import { healthcheckIntervalSeconds } from "../lib/docker/tenantContainers";
import { DrainPlan, describeDrain, planDrain } from "../lib/fleet/drainHost";
import { moveJournalFile } from "../lib/fleet/moveJournal";
import { MovePlan } from "../lib/fleet/moveTenant";
import { JournalFile, heldMessage, journalDir } from "../lib/fleet/operationJournal";
import { readFleetProject } from "../lib/project/fleetProject";
import { parseTenantFile } from "../lib/tenants/parseTenantFile";
import { PlaceDependencies, readEnvironment, sizedHosts } from "./fleetPlace";
import { ReachedHosts, journaledMove } from "./fleetMove";

export const drainUsage = "usage: npm run fleet -- drain <host-stack> [--dry-run] [--take-over]";

/** A drain as its journal keeps it: the plan it was started with, and how many moves are done. */
interface DrainEntry {
    plan: DrainPlan;
    done: number;
}

export function drainJournalFile(root: string, host: string): string {
    return path.join(root, journalDir, `host-${host}.json`);
}

/** What a drain needs from outside: the hosts' sizes, and a way to reach the hosts' stacks and engines. */
export interface DrainDependencies extends PlaceDependencies {
    reach(stacks: ReadonlyArray<string>): Promise<ReachedHosts>;
}

/** `npm run fleet -- drain`, callable in-process; `argv` is what follows `drain`. */
export async function drainCommand(
    argv: string[],
    root: string,
    context: CommandContext,
    dependencies: DrainDependencies,
): Promise<number> {
    const request = parseDrainArgs(argv);
    const print = (line: string) => context.stdout.write(`drain: ${line}\n`);
    const file = drainJournalFile(root, request.host);
    const unfinished = JournalFile.read<DrainEntry>(file);
    const entry: DrainEntry = unfinished?.entry ?? {
        plan: await plan(root, request.host, dependencies),
        done: 0,
    };
    if (request.dryRun) {
        if (unfinished !== undefined) {
            print(`an unfinished drain of ${request.host} holds this plan; ${entry.done} move(s) done`);
        }
        describeDrain(entry.plan).forEach(print);
        return 0;
    }
    if (entry.plan.moves.length === 0) {
        describeDrain(entry.plan).forEach(print);
        return 0;
    }
    const claimed = JournalFile.claim<DrainEntry>(file, entry, { force: request.takeOver });
    if (claimed.kind === "held") {
        fail(heldMessage(`${request.host} is being drained`, claimed.owner), exitFailure);
    }
    const { journal } = claimed;
    const drain = claimed.kind === "taken over" ? claimed.entry : entry;
    const { moves } = drain.plan;
    if (claimed.kind === "taken over") {
        print(`taking up the drain of ${request.host}: ${drain.done} of ${moves.length} tenant(s) moved`);
    } else {
        describeDrain(drain.plan).forEach(print);
    }
    const hosts = await dependencies.reach([request.host, ...new Set(moves.map((m) => m.target))]);
    try {
        for (let index = drain.done; index < moves.length; index++) {
            const move = moves[index];
            print(`tenant ${index + 1} of ${moves.length}: ${move.tenant} to ${move.target}`);
            if (movedAlready(root, move, request.host)) {
                print(`${move.tenant} is on ${move.target} already`);
            } else {
                const status = await journaledMove(
                    root,
                    {
                        tenant: move.tenant,
                        move: { kind: "move", target: move.target },
                        takeOver: request.takeOver,
                    },
                    (_: MovePlan) => Promise.resolve({ effects: hosts.effects, close: () => undefined }),
                    (line) => context.stdout.write(`drain: ${move.tenant}: ${line}\n`),
                );
                if (status !== 0) {
                    print(
                        `stopped at tenant ${index + 1} of ${moves.length} (${move.tenant}); ` +
                            `run npm run fleet -- drain ${request.host} again to go on from there`,
                    );
                    return exitFailure;
                }
            }
            drain.done = index + 1;
            journal.write(drain);
        }
    } finally {
        hosts.close();
    }
    journal.remove();
    print(
        `${request.host} runs no tenant now; its tenants' old volumes stay on it. Retire or replace it ` +
            `(docs/operations.md, "Replace a host"), and commit the tenant files and the target stacks' Pulumi.<stack>.yaml`,
    );
    return 0;
}

/** The drain of a host, planned from the project's files and the hosts' sizes. */
async function plan(root: string, host: string, dependencies: PlaceDependencies): Promise<DrainPlan> {
    const project = readFleetProject(root);
    const stack = project.hosts.find((h) => h.stack === host);
    if (stack === undefined) {
        fail(
            `"${host}" is not a host stack of this project (stacks: ${project.stacks.join(", ") || "none"}); nothing was changed`,
        );
    }
    const read = readEnvironment(project, stack.environment);
    const sized = await sizedHosts(read, dependencies);
    const stackIndex = new Map(
        [...read.selectionOf.values()].flatMap((s) =>
            s.placements.map((p) => [p.file, p.stacks.indexOf(host)] as const),
        ),
    );
    const planned = planDrain({
        host,
        environment: stack.environment,
        hosts: sized.hosts,
        stackIndex,
        probeIntervalSeconds: healthcheckIntervalSeconds,
        serverTypes: sized.types,
    });
    if (!planned.ok) {
        fail(planned.message);
    }
    return planned.plan;
}

/**
 * A move a killed drain finished but did not record: the tenant's file lists its target and not
 * the drained host, and no move of it is unfinished.
 */
function movedAlready(root: string, move: DrainPlan["moves"][number], host: string): boolean {
    if (fs.existsSync(moveJournalFile(root, move.tenant))) {
        return false;
    }
    const parsed = parseTenantFile(move.file, fs.readFileSync(path.join(root, move.file), "utf8"));
    return parsed.ok && parsed.tenant.stacks.includes(move.target) && !parsed.tenant.stacks.includes(host);
}

function parseDrainArgs(argv: string[]): { host: string; dryRun: boolean; takeOver: boolean } {
    const { positionals, values } = parseCommandLine(
        argv,
        { "dry-run": { type: "boolean" }, "take-over": commonOptions["take-over"] },
        drainUsage,
    );
    if (positionals.length !== 1) {
        fail(`name the host stack to drain\n${drainUsage}`);
    }
    return {
        host: positionals[0],
        dryRun: values["dry-run"] === true,
        takeOver: values["take-over"] === true,
    };
}
