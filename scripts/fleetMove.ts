/**
 * `npm run fleet -- move <tenant> <host-stack>`: moves a tenant with its data to another host
 * stack of its environment (lib/fleet/moveTenant.ts has the order and why). Its secrets are
 * copied into the target stack's config, its file's `stacks` entry changes, the target's preview
 * must pass; then it stops on the source, its volume is streamed to the target, `pulumi up` runs
 * on the target (it starts there on the copy), the command waits until it is healthy, and `pulumi
 * up` runs on the source (its stopped container goes, its volume stays). The source volume is
 * never deleted.
 *
 * Each host's engine is reached from its stack's outputs, over SSH with the stack's pinned host
 * key, before anything changes. Exit status: 0 when the tenant runs healthy on the target, 1 when
 * the move stopped (what was undone, or the state it left, is printed), 2 for a usage error.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { CommandContext, errorMessage, fail } from "../lib/cli/command";
import { describeProblem } from "../lib/errors";
import { commonOptions, parseCommandLine } from "../lib/cli/commandLine";
import { unreachable } from "../lib/unreachable";
import { lastLine } from "../lib/cli/processRunner";
import { PulumiDriver, pulumiDriver } from "../lib/cli/pulumiDriver";
import { stackEngine } from "../lib/cli/stackEngine";
import { tenantSecretsKey } from "../lib/config/tenantSecrets";
import { healthVerdictSeconds } from "../lib/docker/tenantContainers";
import { tenantNames } from "../lib/docker/tenantNames";
import { engineEffects } from "../lib/fleet/moveEngines";
import { MoveEntry, MoveRequest, moveJournalFile, unfinishedMove } from "../lib/fleet/moveJournal";
import { MoveFacts, MovePlan, planMove } from "../lib/fleet/moveTenant";
import { JournalFile, heldMessage } from "../lib/fleet/operationJournal";
import { pulumiFailure } from "../lib/fleet/pulumiFailure";
import { readFleetProject, tenantsDirOf } from "../lib/project/fleetProject";
import { MoveEffects, Outcome, abortMove, runMove } from "../lib/fleet/runMove";
import { VolumeEnd } from "../lib/fleet/volumeStream";
import { parseTenantFile } from "../lib/tenants/parseTenantFile";
import { readTenantSources } from "../lib/tenants/readTenantSources";
import { collectSecretUses } from "../lib/tenants/secretRefs";

export const moveUsage =
    "usage: npm run fleet -- move <tenant> <host-stack> [--take-over]\n" +
    "       npm run fleet -- move <tenant> --abort [--take-over]";

/** The plan, from the project's files: the host stacks and the tenant's file. */
function plan(root: string, tenant: string, target: string): MovePlan {
    const project = readFleetProject(root);
    if (project.problems.length > 0) {
        fail(project.problems.map(describeProblem).join("\n"));
    }
    const tenantsDir = tenantsDirOf(project, [target]);
    const dir = path.resolve(root, tenantsDir.ok ? tenantsDir.dir : fail(tenantsDir.message));
    let file: MoveFacts["file"];
    let secrets: string[] = [];
    let volume: string | undefined;
    for (const source of fs.existsSync(dir) ? readTenantSources(dir, root) : []) {
        const parsed = parseTenantFile(source.file, source.text);
        if (parsed.ok && parsed.tenant.name === tenant) {
            file = { path: source.file, stacks: parsed.tenant.stacks };
            secrets = [...new Set(collectSecretUses(parsed.tenant.zeptoclaw).map((u) => u.name))];
            volume = parsed.tenant.volume;
        }
    }
    const names = tenantNames(tenant, "", volume);
    const planned = planMove({
        tenant,
        target,
        hosts: project.hosts,
        file,
        secrets,
        container: names.container,
        volume: names.volume,
    });
    if (!planned.ok) {
        fail(planned.message);
    }
    return planned.plan;
}

/** Pulumi (Automation API) and the tenant file: the effects that are not on an engine. */
function projectEffects(
    pulumi: PulumiDriver,
    root: string,
    stacks: ReadonlyMap<string, Stack>,
    context: CommandContext,
): Omit<MoveEffects, keyof ReturnType<typeof engineEffects> | "record" | "finish"> {
    const stack = (name: string) => stacks.get(name)!;
    const key = (tenant: string, name: string) => `${tenantSecretsKey}.${tenant}.${name}`;
    const policyPacks = [path.join(root, "policy")];
    const onOutput = (out: string) => context.stdout.write(out);
    const outcome = (work: Promise<unknown>): Promise<Outcome> =>
        work.then(
            () => ({ ok: true }),
            (err: unknown) => ({ ok: false, reason: pulumiFailure(errorMessage(err)) }),
        );
    return {
        readSecret: async (name, tenant, secret) =>
            (await stack(name).getConfig(key(tenant, secret), true)).value,
        // On standard input, as npm run tenant does: the Automation API's setConfig puts the value
        // on pulumi's command line, which every process on the machine can read.
        writeSecret: (name, tenant, secret, value) => {
            const args = ["config", "set", "--secret", "--path", key(tenant, secret), "--stack", name];
            return pulumi.run(args, { input: value }).then((result) => {
                if (result.code !== 0) {
                    throw new Error(
                        `pulumi config set --path ${key(tenant, secret)} -s ${name} failed: ${lastLine(result.stderr)}`,
                    );
                }
            });
        },
        removeSecrets: (name, tenant) => stack(name).removeConfig(`${tenantSecretsKey}.${tenant}`, true),
        readFile: (file) => fs.readFileSync(path.join(root, file), "utf8"),
        writeFile: (file, text) => fs.writeFileSync(path.join(root, file), text),
        preview: (name) => outcome(stack(name).preview({ policyPacks, onOutput })),
        up: (name) => outcome(stack(name).up({ policyPacks, onOutput })),
        now: () => Date.now(),
    };
}

/** A stack's engine and the fleet image on it (its `image` output), or why it cannot be reached. */
async function engineOf(root: string, pulumi: PulumiDriver, stack: Stack, dir: string): Promise<VolumeEnd> {
    const engine = stackEngine(stack.name, root, pulumi, dir);
    if (!engine.ok) {
        fail(`${engine.message}; nothing was changed`, 1);
    }
    const image = (await stack.outputs()).image?.value as { id?: unknown } | undefined;
    if (typeof image?.id !== "string" || image.id === "") {
        fail(
            `stack "${stack.name}" has no image output: pulumi up -s ${stack.name} once; nothing was changed`,
            1,
        );
    }
    return { env: engine.env, image: image.id };
}

/** The hosts a command moves tenants between: their Pulumi stacks and engines, reached before anything changes. */
export interface ReachedHosts {
    effects: Omit<MoveEffects, "record" | "finish">;
    close(): void;
}

export async function reachHosts(
    root: string,
    names: ReadonlyArray<string>,
    context: CommandContext,
): Promise<ReachedHosts> {
    const pulumi = await pulumiDriver(root, (line) => context.stderr.write(`fleet: ${line}\n`));
    const stacks = new Map<string, Stack>();
    for (const name of names) {
        stacks.set(
            name,
            await LocalWorkspace.selectStack(
                { stackName: name, workDir: root },
                { pulumiCommand: pulumi.cli },
            ),
        );
    }
    const dirs = names.map(() => fs.mkdtempSync(path.join(os.tmpdir(), "zc-move-")));
    const close = () => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
    try {
        // Both engines answer to their stacks' pinned keys, or nothing happens.
        const engines = new Map<string, VolumeEnd>();
        for (const [i, name] of names.entries()) {
            engines.set(name, await engineOf(root, pulumi, stacks.get(name)!, dirs[i]));
        }
        return {
            effects: {
                ...projectEffects(pulumi, root, stacks, context),
                ...engineEffects(engines, healthVerdictSeconds * 1000),
            },
            close,
        };
    } catch (err) {
        close();
        throw err;
    }
}

/** A tenant's move or its undo, under its journal: taken first, so that nothing else works on the tenant meanwhile. */
export async function journaledMove(
    root: string,
    request: { tenant: string; move: MoveRequest; takeOver: boolean },
    reach: (plan: MovePlan) => Promise<ReachedHosts>,
    print: (line: string) => void,
): Promise<number> {
    const { tenant, move } = request;
    const file = moveJournalFile(root, tenant);
    const unfinished = JournalFile.read<MoveEntry>(file);
    if (unfinished !== undefined) {
        const decided = unfinishedMove(unfinished.entry, move);
        if (!decided.ok) {
            fail(decided.message, 1);
        }
    }
    const fresh = (): MoveEntry => {
        switch (move.kind) {
            case "move":
                return { plan: plan(root, tenant, move.target), progress: { done: 0, begun: false } };
            case "abort":
                return fail(`${tenant} has no unfinished move; nothing to undo`, 1);
            default:
                return unreachable(move);
        }
    };
    const entry = unfinished?.entry ?? fresh();
    const claimed = JournalFile.claim<MoveEntry>(file, entry, { force: request.takeOver });
    if (claimed.kind === "held") {
        fail(heldMessage(`${tenant} is being moved`, claimed.owner), 1);
    }
    const { journal } = claimed;
    const journaled = claimed.kind === "taken over" ? claimed.entry : entry;
    let hosts: ReachedHosts;
    try {
        hosts = await reach(journaled.plan);
    } catch (err) {
        if (claimed.kind === "new") {
            journal.remove();
        }
        throw err;
    }
    try {
        const effects: MoveEffects = {
            ...hosts.effects,
            record: (progress) => journal.write({ plan: journaled.plan, progress }),
            finish: () => journal.remove(),
        };
        const resume = claimed.kind === "taken over" ? journaled.progress : undefined;
        return move.kind === "abort"
            ? await abortMove(journaled.plan, effects, print, journaled.progress)
            : await runMove(journaled.plan, effects, print, resume);
    } finally {
        hosts.close();
    }
}

/** `npm run fleet -- move`, callable in-process; `argv` is what follows `move`. */
export async function moveCommand(
    argv: string[],
    root: string,
    context: CommandContext,
    reach: (stacks: ReadonlyArray<string>) => Promise<ReachedHosts> = (stacks) =>
        reachHosts(root, stacks, context),
): Promise<number> {
    const request = parseMoveArgs(argv);
    return journaledMove(
        root,
        request,
        (move) => reach([move.source, move.target]),
        (line) => context.stdout.write(`move: ${line}\n`),
    );
}

const moveWhat = "name the tenant and the host stack to move it to, or the tenant and --abort";

/** `<tenant> <host-stack>` or `<tenant> --abort`, and `--take-over`. */
function parseMoveArgs(argv: string[]): { tenant: string; move: MoveRequest; takeOver: boolean } {
    const { positionals, values } = parseCommandLine(
        argv,
        { abort: { type: "boolean" }, "take-over": commonOptions["take-over"] },
        moveUsage,
    );
    const takeOver = values["take-over"] === true;
    if (values.abort === true && positionals.length === 1) {
        return { tenant: positionals[0], move: { kind: "abort" }, takeOver };
    }
    if (values.abort !== true && positionals.length === 2) {
        return { tenant: positionals[0], move: { kind: "move", target: positionals[1] }, takeOver };
    }
    fail(`${moveWhat}\n${moveUsage}`);
}
