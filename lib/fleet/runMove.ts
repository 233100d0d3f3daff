import { unreachable } from "../unreachable";
import { withStacks } from "./tenantFileStacks";
import { MovePlan, MoveStep, UndoAction, describeStep, moveFailure } from "./moveTenant";

export type Outcome = { ok: true } | { ok: false; reason: string };

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
}

/** Thrown by a step: the reason the move stops there. */
class StepFailure extends Error {}

function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Carries the plan out step by step, printing each; returns the exit status. A failing step stops
 * the move: before the placement took effect everything done is undone (moveFailure), after it
 * the state and the way back are printed; either way 1.
 */
export async function runMove(
    plan: MovePlan,
    effects: MoveEffects,
    print: (line: string) => void,
): Promise<number> {
    let original: string | undefined;
    let stoppedAt: number | undefined;
    let readyAt: number | undefined;
    let copyMs: number | undefined;

    const run = async (step: MoveStep): Promise<void> => {
        switch (step.kind) {
            case "copy secrets":
                for (const name of step.names) {
                    const value = await effects.readSecret(step.from, plan.tenant, name);
                    await effects.writeSecret(step.to, plan.tenant, name, value);
                }
                return;
            case "place": {
                const text = effects.readFile(step.file);
                const placed = withStacks(text, step.stacks);
                if (placed === undefined) {
                    throw new StepFailure(
                        `${step.file} has no stacks list this command can edit; move it by hand`,
                    );
                }
                original = text;
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
                stoppedAt = effects.now();
                return;
            case "copy data": {
                const started = effects.now();
                await effects.copyVolume(step.from, step.to, step.volume, plan.tenant);
                copyMs = effects.now() - started;
                print(`copied ${step.volume} in ${seconds(copyMs)}`);
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

    const undo = async (action: UndoAction): Promise<void> => {
        switch (action.kind) {
            case "start":
                return effects.start(action.stack, action.container);
            case "remove volume":
                return effects.removeVolume(action.stack, action.volume);
            case "restore file":
                // Only a file this move wrote is put back.
                return original === undefined ? undefined : effects.writeFile(action.file, original);
            case "remove secrets":
                return effects.removeSecrets(action.stack, action.tenant);
            default:
                return unreachable(action);
        }
    };

    print(`moving ${plan.tenant} from ${plan.source} to ${plan.target} (environment ${plan.environment})`);
    for (const [index, step] of plan.steps.entries()) {
        print(describeStep(step));
        try {
            await run(step);
        } catch (err) {
            const reason = err instanceof Error ? err.message : String(err);
            const failure = moveFailure(plan, index, reason);
            failure.lines.slice(0, 1).forEach(print);
            for (const action of failure.undo) {
                try {
                    await undo(action);
                } catch (undoErr) {
                    print(
                        `could not undo (${action.kind}): ${undoErr instanceof Error ? undoErr.message : String(undoErr)}`,
                    );
                }
            }
            failure.lines.slice(1).forEach(print);
            return 1;
        }
    }
    const down =
        stoppedAt === undefined || readyAt === undefined
            ? ""
            : `; it was down ${seconds(readyAt - stoppedAt)}`;
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
