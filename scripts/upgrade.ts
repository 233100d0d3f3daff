/**
 * `npm run upgrade -- -s <stack> <version> [--timeout <seconds>] [--parallel <n>]`: moves the stack's tenants
 * to another ZeptoClaw version one upgrade ring at a time (imageRings, in order): set the ring's
 * version in the stack config, `pulumi up`, wait until every tenant of the ring runs the version
 * and Docker reports it healthy, go on. The first ring that does not become ready goes back to
 * its previous entry (`pulumi up` again, and the wait), the reasons are printed (each failing
 * tenant's state and last health probe output), the later rings are not touched, and the
 * command ends with 1. Run from the project folder.
 *
 * Each ring's `pulumi up` replaces at most two tenants per host core at once (`--parallel`, from
 * the engine's core count; lib/upgrade/replacementsAtOnce.ts), so that each one's downtime stays
 * short; `--parallel <n>` sets another bound.
 *
 * The stack's engine is reached from its outputs, as `npm run status` does, before anything
 * changes. Exit status: 0 when every ring is ready on the version, 1 when the upgrade stopped or
 * a tool failed, 2 for a refused command line.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CommandContext, fail, projectRoot, requireStack, runMain } from "../lib/cli/command";
import { commonOptions, parseCommandLine, wholeNumberOption } from "../lib/cli/commandLine";
import { waitGatewaysReady } from "../lib/cli/gatewayReadiness";
import { Ran, lastLine, run } from "../lib/cli/processRunner";
import { PulumiDriver, pulumiDriver } from "../lib/cli/pulumiDriver";
import { stackEngine } from "../lib/cli/stackEngine";
import { tenantImages } from "../lib/config/imageRings";
import { configLocation } from "../lib/config/configLocation";
import { healthVerdictSeconds } from "../lib/docker/tenantContainers";
import { describeProblem } from "../lib/errors";
import { JournalFile, describeOwner, journalDir } from "../lib/fleet/operationJournal";
import { readFleetProject, stackSettings, stackTenants } from "../lib/project/fleetProject";
import { UpgradeEffects, runUpgrade } from "../lib/upgrade/runUpgrade";
import { replacementsAtOnce } from "../lib/upgrade/replacementsAtOnce";
import { RingOutcome, UpgradePlan, planUpgrade } from "../lib/upgrade/upgradePlan";

const usage = "usage: npm run upgrade -- -s <stack> <version> [--timeout <seconds>] [--parallel <n>]";

/** How a tool failed: its exit status, and the last line it printed on stderr, if any. */
function failure(result: Ran): string {
    const line = lastLine(result.stderr);
    return `failed (exit status ${result.code})${line === "" ? "" : `: ${line}`}`;
}

/**
 * The real effects: the stack config and `pulumi up` through the pulumi CLI, readiness through
 * `docker inspect` on the stack's engine (`env`).
 */
function cliEffects(
    pulumi: PulumiDriver,
    stack: string,
    env: NodeJS.ProcessEnv,
    timeoutMs: number,
    parallel: number,
    context: CommandContext,
    upgrade: UpgradePlan,
    journal: JournalFile<UpgradeEntry>,
): UpgradeEffects {
    return {
        async setRing(index, entry) {
            const args = ["config", "set", "--path", `imageRings[${index}]`, entry, "-s", stack];
            const result = await pulumi.run(args);
            if (result.code !== 0) {
                fail(`pulumi ${args.join(" ")} ${failure(result)}`, 1);
            }
        },
        async up() {
            const args = ["up", "--yes", "--skip-preview", "--parallel", String(parallel), "-s", stack];
            const result = await pulumi.run(args, { echo: context });
            return result.code === 0
                ? { ok: true }
                : {
                      ok: false,
                      // pulumi's own account of the failure is in its output, shown above.
                      reason: failure(result),
                  };
        },
        waitReady: (tenants, version) => waitGatewaysReady(env, tenants, version, timeoutMs),
        record: (outcomes) => journal.write({ plan: upgrade, outcomes: [...outcomes] }),
        finish: () => journal.remove(),
    };
}

/** An upgrade as its journal keeps it: the plan it was started with, each ring's outcome so far. */
interface UpgradeEntry {
    plan: UpgradePlan;
    outcomes: RingOutcome[];
}

/** The host's cores, as its engine reports them. */
async function engineCores(env: NodeJS.ProcessEnv): Promise<number> {
    const result = await run("docker", ["info", "--format", "{{.NCPU}}"], { env });
    const cores = Number(result.stdout.trim());
    if (result.code !== 0 || !Number.isInteger(cores) || cores < 1) {
        fail(
            `docker info on the stack's engine ${failure(result)}; nothing was changed (or pass --parallel <n>)`,
            1,
        );
    }
    return cores;
}

/** The stack's rings and tenants, read as the program reads them, and the plan to move them. */
function plan(root: string, stack: string, version: string): UpgradePlan {
    const project = readFleetProject(root);
    const parsed = stackSettings(project, stack);
    if (!parsed.ok) {
        fail(
            `fix the stack config first:\n${parsed.problems.map((p) => `  - ${describeProblem(p)}`).join("\n")}`,
        );
    }
    const read = stackTenants(project, stack);
    if (!read.ok) {
        fail(read.message);
    }
    const { tenants, problems } = read.selection;
    const ringsLocation = configLocation(stack, "imageRings");
    problems.push(...tenantImages(tenants, parsed.rings, ringsLocation).problems);
    if (problems.length > 0) {
        fail(`fix the tenant files first:\n${problems.map((p) => `  - ${describeProblem(p)}`).join("\n")}`);
    }
    const planned = planUpgrade(
        parsed.rings,
        parsed.image,
        new Map(tenants.map((t) => [t.name, t.ring])),
        version,
        ringsLocation,
    );
    if (!planned.ok) {
        fail(planned.message);
    }
    return planned.plan;
}

/** `npm run upgrade`, callable in-process: 0 when every ring is ready on the version, 1 when it stopped. */
export async function upgradeCommand(argv: string[], context: CommandContext): Promise<number> {
    const { values, positionals } = parseCommandLine(
        argv,
        { stack: commonOptions.stack, timeout: { type: "string" }, parallel: { type: "string" } },
        usage,
    );
    const root = projectRoot(context.cwd);
    const stack = requireStack(values.stack, root, usage);
    if (positionals.length !== 1) {
        fail(`name the one version to upgrade to\n${usage}`);
    }
    const timeout = wholeNumberOption(values.timeout);
    if (timeout === false) {
        fail(`--timeout is a whole number of seconds, such as ${healthVerdictSeconds}\n${usage}`);
    }
    const timeoutSeconds = timeout ?? healthVerdictSeconds;
    const parallel = wholeNumberOption(values.parallel);
    if (parallel === false) {
        fail(`--parallel is a whole number of tenants replaced at once, 1 or more\n${usage}`);
    }
    const version = positionals[0];
    // The journal of an upgrade a run left: it is taken up, never planned again (the rings it
    // moved read as already on the version, and their old entries are in it alone).
    const file = path.join(root, journalDir, `upgrade-${stack}.json`);
    const unfinished = JournalFile.read<UpgradeEntry>(file);
    if (unfinished !== undefined && unfinished.entry.plan.version !== version) {
        fail(
            `${stack} has an unfinished upgrade to ${unfinished.entry.plan.version}; finish it first ` +
                `(npm run upgrade -- -s ${stack} ${unfinished.entry.plan.version}); nothing was changed`,
            1,
        );
    }
    const upgrade = unfinished?.entry.plan ?? plan(root, stack, version);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zc-upgrade-"));
    try {
        // Decided before anything changes: the engine the readiness is read from.
        const pulumi = await pulumiDriver(root, (line) => context.stderr.write(`upgrade: ${line}\n`));
        const engine = stackEngine(stack, root, pulumi, dir);
        if (!engine.ok) {
            fail(`${engine.message}; nothing was changed`, 1);
        }
        const atOnce = parallel ?? replacementsAtOnce(await engineCores(engine.env));
        const claimed = JournalFile.claim<UpgradeEntry>(file, { plan: upgrade, outcomes: [] });
        if (claimed.kind === "held") {
            fail(
                `${stack} is being upgraded by ${describeOwner(claimed.owner)}; wait for it; nothing was changed`,
                1,
            );
        }
        context.stdout.write(`upgrade: replacing at most ${atOnce} tenants at once (pulumi up --parallel)\n`);
        const effects = cliEffects(
            pulumi,
            stack,
            engine.env,
            timeoutSeconds * 1000,
            atOnce,
            context,
            upgrade,
            claimed.journal,
        );
        const resume = claimed.kind === "taken over" ? claimed.entry.outcomes : undefined;
        return await runUpgrade(
            upgrade,
            effects,
            (line) => context.stdout.write(`upgrade: ${line}\n`),
            resume,
        );
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

if (require.main === module) {
    runMain("upgrade", upgradeCommand);
}
