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
}

/**
 * Carries out the plan, ring after ring, as nextStep decides; prints what it does and why.
 * Returns the exit status: 0 when every ring is ready on the version, 1 when it stopped.
 */
export async function runUpgrade(
    plan: UpgradePlan,
    effects: UpgradeEffects,
    print: (line: string) => void,
): Promise<number> {
    const outcomes: RingOutcome[] = [];
    for (;;) {
        const step = nextStep(plan, outcomes);
        step.lines.forEach(print);
        switch (step.kind) {
            case "apply": {
                await effects.setRing(step.move.index, step.entry);
                const up = await effects.up();
                const tenants = await effects.waitReady(step.move.tenants, step.version);
                outcomes.push(up.ok ? { tenants } : { upFailure: up.reason, tenants });
                break;
            }
            case "finished":
            case "stopped":
                return step.exitStatus;
            default:
                return unreachable(step);
        }
    }
}
