import { errorMessage } from "../cli/command";
import { unreachable } from "../unreachable";
import { withStacks } from "./tenantFileStacks";
import { MovePlan, MoveStep, UndoAction, describeStep, moveFailure, placementIndex } from "./moveTenant";

export type Outcome = { ok: true } | { ok: false; reason: string };

/**
 * How far a move got, as its journal keeps it (lib/fleet/operationJournal.ts): enough for a run
 * after a kill to go on from there, or to undo what was done.
 */
export interface MoveProgress {
    /** Steps done, from the first: they run in order. */
    done: number;
    /** Whether the step after them was begun: a kill may have left it half done. */
    begun: boolean;
    /** The tenant file as it was before the move wrote it, kept before it is written. */
    originalFile?: string;
    /** When the tenant was stopped on the source, in ms since the epoch. */
    stoppedAt?: number;
    /** Set once a failure's undo began: the index of the step that failed. */
    failedAt?: number;
}

/** What a move does to the world: stack config, the tenant file, Pulumi, and each host's engine. */
export interface MoveEffects {
    readSecret(stack: string, tenant: string, name: string): Promise<string>;
    /** Stored encrypted in the stack's config. */
    writeSecret(stack: string, tenant: string, name: string, value: string): Promise<void>;
    removeSecrets(stack: string, tenant: string): Promise<void>;
    readFile(file: string): string;
    writeFile(file: string, text: string): void;
    preview(stack: string): Promise<Outcome>;
    up(stack: string): Promise<Outcome>;
    /** `running`, `stopped` or `absent`. */
    containerState(stack: string, container: string): Promise<"running" | "stopped" | "absent">;
    volumeExists(stack: string, volume: string): Promise<boolean>;
    stop(stack: string, container: string): Promise<void>;
    start(stack: string, container: string): Promise<void>;
    /** Copies every file with its owner, mode and times into a new volume of the same name. */
    copyVolume(from: string, to: string, volume: string, tenant: string): Promise<void>;
    removeVolume(stack: string, volume: string): Promise<void>;
    /** Waits until the container runs and Docker reports it healthy, or will not. */
    waitReady(stack: string, container: string): Promise<Outcome>;
    now(): number;
    /** Keeps the progress, before and after each step, so that a killed run can be taken up. */
    record(progress: MoveProgress): void;
    /** The move is over, done or wholly undone: nothing is left to resume. */
    finish(): void;
}

/** Thrown by a step: the reason the move stops there. */
class StepFailure extends Error {}

function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Carries the plan out step by step, printing each; returns the exit status. `resume` is the
 * progress a killed run left: the move goes on after its last step done, and a step it had begun
 * is done again from its start (a copy it began is removed first: the target had no such volume
 * before this move, which checked). A failing step stops the move: before the placement took
 * effect everything done is undone (moveFailure), after it the progress stays for the next run
 * of the command to take up; either way 1.
 */
export async function runMove(
    plan: MovePlan,
    effects: MoveEffects,
    print: (line: string) => void,
    resume?: MoveProgress,
): Promise<number> {
    const progress: MoveProgress = resume === undefined ? { done: 0, begun: false } : { ...resume };
    if (progress.failedAt !== undefined) {
        print(`taking up the undo of the move of ${plan.tenant} to ${plan.target}`);
        return undoMove(plan, effects, print, progress, progress.failedAt, "it was interrupted");
    }
    print(`moving ${plan.tenant} from ${plan.source} to ${plan.target} (environment ${plan.environment})`);
    if (resume !== undefined) {
        print(`taking up where a run was stopped: ${progress.done} of ${plan.steps.length} steps done`);
    }
    let readyAt: number | undefined;

    const run = async (step: MoveStep, interrupted: boolean): Promise<void> => {
        switch (step.kind) {
            case "copy secrets":
                for (const name of step.names) {
                    const value = await effects.readSecret(step.from, plan.tenant, name);
                    await effects.writeSecret(step.to, plan.tenant, name, value);
                }
                return;
            case "place": {
                const text = progress.originalFile ?? effects.readFile(step.file);
                const placed = withStacks(text, step.stacks);
                if (placed === undefined) {
                    throw new StepFailure(
                        `${step.file} has no stacks list this command can edit; move it by hand`,
                    );
                }
                // Kept before the file changes: an undo after a kill must find it.
                progress.originalFile = text;
                effects.record(progress);
                effects.writeFile(step.file, placed);
                return;
            }
            case "preview":
            case "up": {
                const outcome = await (step.kind === "up"
                    ? effects.up(step.stack)
                    : effects.preview(step.stack));
                if (!outcome.ok) {
                    throw new StepFailure(outcome.reason);
                }
                return;
            }
            case "check engines": {
                const state = await effects.containerState(step.from, step.container);
                if (state !== "running") {
                    throw new StepFailure(`${step.container} is ${state} on ${step.from}, not running`);
                }
                if (!(await effects.volumeExists(step.from, step.volume))) {
                    throw new StepFailure(`${step.from} has no volume ${step.volume}`);
                }
                if (await effects.volumeExists(step.to, step.volume)) {
                    throw new StepFailure(
                        `${step.to} already has a volume ${step.volume} (older data of ${plan.tenant}?); ` +
                            `look at it and delete it there (docker volume rm ${step.volume}) before moving`,
                    );
                }
                return;
            }
            case "stop":
                await effects.stop(step.stack, step.container);
                progress.stoppedAt ??= effects.now();
                return;
            case "copy data": {
                if (interrupted && (await effects.volumeExists(step.to, step.volume))) {
                    print(`removing the copy the stopped run began on ${step.to}`);
                    await effects.removeVolume(step.to, step.volume);
                }
                const started = effects.now();
                await effects.copyVolume(step.from, step.to, step.volume, plan.tenant);
                print(`copied ${step.volume} in ${seconds(effects.now() - started)}`);
                return;
            }
            case "ready": {
                const outcome = await effects.waitReady(step.stack, step.container);
                if (!outcome.ok) {
                    throw new StepFailure(outcome.reason);
                }
                readyAt = effects.now();
                return;
            }
            default:
                return unreachable(step);
        }
    };

    for (let index = progress.done; index < plan.steps.length; index++) {
        const step = plan.steps[index];
        print(describeStep(step));
        const interrupted = progress.begun;
        progress.begun = true;
        effects.record(progress);
        try {
            await run(step, interrupted);
        } catch (err) {
            const reason = errorMessage(err);
            if (index < placementIndex(plan)) {
                return undoMove(plan, effects, print, progress, index, reason);
            }
            moveFailure(plan, index, reason).lines.forEach(print);
            return 1;
        }
        progress.done = index + 1;
        progress.begun = false;
        effects.record(progress);
    }
    effects.finish();
    const down =
        progress.stoppedAt === undefined || readyAt === undefined
            ? ""
            : `; it was down ${seconds(readyAt - progress.stoppedAt)}`;
    print(`${plan.tenant} runs on ${plan.target}, healthy${down}`);
    print(
        `its old volume ${plan.volume} stays on ${plan.source} until you delete it there: ` +
            `docker volume rm ${plan.volume} (with DOCKER_HOST set to ${plan.source}'s dockerHost output)`,
    );
    print(
        `its secrets stay in ${plan.source}'s config for the way back; once you are sure: ` +
            `pulumi config rm --path tenantSecrets.${plan.tenant} -s ${plan.source}`,
    );
    print(`commit ${plan.file} and Pulumi.${plan.target}.yaml (its secrets, encrypted)`);
    return 0;
}

/**
 * Undoes a move a killed run left, from its progress: possible while the placement has not taken
 * effect (the target's `up` has not begun), refused after it, when the tenant may already have
 * run, and written data, on the target. Returns the exit status.
 */
export async function abortMove(
    plan: MovePlan,
    effects: MoveEffects,
    print: (line: string) => void,
    progress: MoveProgress,
): Promise<number> {
    if (progress.failedAt !== undefined) {
        return undoMove(plan, effects, print, progress, progress.failedAt, "it was interrupted");
    }
    const reached = progress.begun ? progress.done : progress.done - 1;
    if (reached >= placementIndex(plan)) {
        print(
            `the move of ${plan.tenant} to ${plan.target} cannot be undone: ${describeStep(plan.steps[placementIndex(plan)])} ` +
                `has begun, and ${plan.tenant} may have run and written data there; finish it ` +
                `(npm run fleet -- move ${plan.tenant} ${plan.target}), then move it back if you want`,
        );
        return 1;
    }
    if (reached < 0) {
        effects.finish();
        print(`nothing of the move of ${plan.tenant} to ${plan.target} was done; nothing to undo`);
        return 0;
    }
    return undoMove(plan, effects, print, progress, reached, "aborted");
}

/** Runs the undo of a failure at step `failed` (moveFailure), keeping that it is under way. */
async function undoMove(
    plan: MovePlan,
    effects: MoveEffects,
    print: (line: string) => void,
    progress: MoveProgress,
    failed: number,
    reason: string,
): Promise<number> {
    progress.failedAt = failed;
    effects.record(progress);
    const failure = moveFailure(plan, failed, reason);
    failure.lines.slice(0, 1).forEach(print);
    let undone = true;
    for (const action of failure.undo) {
        try {
            await undo(action, effects, progress.originalFile);
        } catch (err) {
            undone = false;
            print(`could not undo (${action.kind}): ${errorMessage(err)}`);
        }
    }
    failure.lines.slice(1).forEach(print);
    if (undone) {
        effects.finish();
    } else {
        print(`run npm run fleet -- move ${plan.tenant} --abort once the cause is fixed, to finish the undo`);
    }
    return 1;
}

async function undo(
    action: UndoAction,
    effects: MoveEffects,
    originalFile: string | undefined,
): Promise<void> {
    switch (action.kind) {
        case "start":
            return effects.start(action.stack, action.container);
        case "remove volume":
            // Absent already: an earlier undo, or a copy that never began.
            return (await effects.volumeExists(action.stack, action.volume))
                ? effects.removeVolume(action.stack, action.volume)
                : undefined;
        case "restore file":
            // Only a file this move wrote is put back.
            return originalFile === undefined ? undefined : effects.writeFile(action.file, originalFile);
        case "remove secrets":
            return effects.removeSecrets(action.stack, action.tenant);
        default:
            return unreachable(action);
    }
}
