import { unreachable } from "../unreachable";
import { RingOutcome, TenantOutcome, UpgradePlan, nextStep } from "./upgradePlan";

/** What an upgrade does to the world, one ring at a time. */
export interface UpgradeEffects {
    /** Sets the stack config's imageRings[index] to `entry`. */
    setRing(index: number, entry: string): Promise<void>;
    /** `pulumi up` of the stack: whether it succeeded, and why not. */
    up(): Promise<{ ok: true } | { ok: false; reason: string }>;
    /** Waits until these tenants run `version`, healthy, or will not. */
    waitReady(tenants: string[], version: string): Promise<TenantOutcome[]>;
    /**
     * Keeps the rings' outcomes so far, after each ring, so that a run after a kill goes on from
     * there (lib/fleet/operationJournal.ts); a ring begun and not recorded is applied again.
     */
    record(outcomes: ReadonlyArray<RingOutcome>): void;
    /** The upgrade is over, finished or stopped: nothing is left to take up. */
    finish(): void;
}

/**
 * Carries out the plan, ring after ring, as nextStep decides; prints what it does and why.
 * Returns the exit status: 0 when every ring is ready on the version, 1 when it stopped.
 * `resume` is what a killed run recorded: the step it was on is applied again, from its start
 * (setting the ring's entry, pulumi up and the wait all come to the same end twice).
 */
export async function runUpgrade(
    plan: UpgradePlan,
    effects: UpgradeEffects,
    print: (line: string) => void,
    resume?: ReadonlyArray<RingOutcome>,
): Promise<number> {
    const outcomes: RingOutcome[] = [...(resume ?? [])];
    if (resume !== undefined) {
        print(
            `taking up the upgrade to ${plan.version} where a run was stopped: ${outcomes.length} ring step(s) recorded`,
        );
    }
    for (;;) {
        const step = nextStep(plan, outcomes);
        step.lines.forEach(print);
        switch (step.kind) {
            case "apply": {
                await effects.setRing(step.move.index, step.entry);
                const up = await effects.up();
                const tenants = await effects.waitReady(step.move.tenants, step.version);
                outcomes.push(up.ok ? { tenants } : { upFailure: up.reason, tenants });
                effects.record(outcomes);
                break;
            }
            case "finished":
            case "stopped":
                effects.finish();
                return step.exitStatus;
            default:
                return unreachable(step);
        }
    }
}
