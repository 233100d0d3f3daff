import { ImagePlan } from "../config/imagePlan";
import { ImageRing, RingSetting, parseImageRings, ringEntry } from "../config/imageRings";
import { describeProblem } from "../errors";

/** One ring's move to the new version, and what it goes back to if it fails. */
export interface RingMove {
    ring: string;
    /** Its position in imageRings. */
    index: number;
    /** Its tenants, by name. */
    tenants: string[];
    /** Its imageRings entry before the upgrade: the rollback target. */
    from: RingSetting;
    /** The version its tenants ran before. */
    fromVersion: string;
    /** The version it moves to. */
    toVersion: string;
}

export interface UpgradePlan {
    version: string;
    /** The rings to move, in imageRings order. */
    moves: RingMove[];
    /** Rings already on the version. */
    unchanged: string[];
}

/** A tenant's readiness after a ring was applied: ready, or why not. */
export type TenantOutcome =
    { tenant: string; ready: true } | { tenant: string; ready: false; reason: string };

/** What applying one ring gave: pulumi up's failure, if any, and each of its tenants. */
export interface RingOutcome {
    upFailure?: string;
    tenants: TenantOutcome[];
}

/** What the upgrade does next, with the lines it prints first. */
export type UpgradeStep =
    /** Set imageRings[index] to `entry`, pulumi up, wait until the ring's tenants run `version`. */
    | { kind: "apply"; move: RingMove; entry: string; version: string; lines: string[] }
    | { kind: "finished"; exitStatus: 0; lines: string[] }
    | { kind: "stopped"; exitStatus: 1; lines: string[] };

/**
 * Which rings move to `version`, in order. The rings are the stack's (a stack without
 * imageRings has one, main); `tenantRings` maps each tenant of the stack to its ring. Refused,
 * with the reason, when the stack could not run the version: the new entries are read as the
 * program will read them.
 */
export function planUpgrade(
    rings: ReadonlyArray<ImageRing>,
    stackImage: ImagePlan,
    tenantRings: ReadonlyMap<string, string>,
    version: string,
    ringsLocation: string,
): { ok: true; plan: UpgradePlan } | { ok: false; message: string } {
    const upgraded = rings.map((r) => ringEntry({ name: r.name, version }));
    const check = parseImageRings(upgraded, stackImage, ringsLocation);
    if (!check.ok) {
        return {
            ok: false,
            message: `the stack cannot run ${version} in rings: ${check.problems.map(describeProblem).join("; ")}`,
        };
    }
    const moves: RingMove[] = [];
    const unchanged: string[] = [];
    for (const ring of rings) {
        if (ring.image.version === version) {
            unchanged.push(ring.name);
            continue;
        }
        moves.push({
            ring: ring.name,
            index: ring.index,
            tenants: [...tenantRings.entries()].filter(([, r]) => r === ring.name).map(([t]) => t),
            from: ring.setting,
            fromVersion: ring.image.version,
            toVersion: version,
        });
    }
    return { ok: true, plan: { version, moves, unchanged } };
}

function tenantCount(n: number): string {
    return n === 1 ? "1 tenant" : `${n} tenants`;
}

function ready(outcome: RingOutcome): boolean {
    return outcome.upFailure === undefined && outcome.tenants.every((t) => t.ready);
}

/** Why a ring is not ready: each tenant that is not, then pulumi up's failure. */
function whyNotReady(outcome: RingOutcome): string[] {
    const lines = outcome.tenants.flatMap((t) => (t.ready ? [] : [`  ${t.tenant}: ${t.reason}`]));
    if (outcome.upFailure !== undefined) {
        lines.push(`  pulumi up: ${outcome.upFailure}`);
    }
    return lines;
}

function applyMove(move: RingMove): UpgradeStep {
    return {
        kind: "apply",
        move,
        entry: ringEntry({ name: move.ring, version: move.toVersion }),
        version: move.toVersion,
        lines: [
            `ring ${move.ring} (${tenantCount(move.tenants.length)}): ${move.fromVersion} -> ${move.toVersion}`,
        ],
    };
}

/**
 * The next step, from the outcomes so far: one per applied ring in plan order, and after a ring
 * that did not become ready, one more for its rollback. A ring is ready when pulumi up
 * succeeded and every tenant of it runs the new version, healthy. The first that is not stops
 * the upgrade: it goes back to its previous entry, the later rings are never touched.
 */
export function nextStep(plan: UpgradePlan, outcomes: ReadonlyArray<RingOutcome>): UpgradeStep {
    const failedAt = outcomes.findIndex((o) => !ready(o));
    if (failedAt === -1) {
        const lines =
            outcomes.length === 0
                ? []
                : [
                      `ring ${plan.moves[outcomes.length - 1].ring}: ${tenantCount(outcomes[outcomes.length - 1].tenants.length)} ready on ${plan.version}`,
                  ];
        if (outcomes.length < plan.moves.length) {
            const step = applyMove(plan.moves[outcomes.length]);
            return { ...step, lines: [...lines, ...step.lines] };
        }
        const moved = plan.moves.map((m) => m.ring);
        const already = plan.unchanged.length === 0 ? "" : ` (${plan.unchanged.join(", ")} already ran it)`;
        lines.push(
            moved.length === 0
                ? `every ring already runs ${plan.version}; nothing to do`
                : `upgrade to ${plan.version} done: ${moved.join(", ")} ready on it${already}`,
        );
        return { kind: "finished", exitStatus: 0, lines };
    }
    const failed = plan.moves[failedAt];
    if (outcomes.length === failedAt + 1) {
        return {
            kind: "apply",
            move: failed,
            entry: ringEntry(failed.from),
            version: failed.fromVersion,
            lines: [
                `ring ${failed.ring} did not become ready on ${plan.version}:`,
                ...whyNotReady(outcomes[failedAt]),
                `rolling ring ${failed.ring} back to ${failed.fromVersion}`,
            ],
        };
    }
    const rollback = outcomes[failedAt + 1];
    const lines = ready(rollback)
        ? [
              `ring ${failed.ring} is back on ${failed.fromVersion}: ${tenantCount(rollback.tenants.length)} ready`,
          ]
        : [
              `ring ${failed.ring} did not become ready on ${failed.fromVersion} either:`,
              ...whyNotReady(rollback),
          ];
    const kept = plan.moves.slice(0, failedAt).map((m) => m.ring);
    const untouched = plan.moves.slice(failedAt + 1).map((m) => `${m.ring} (${m.fromVersion})`);
    lines.push(
        `upgrade to ${plan.version} stopped at ring ${failed.ring}` +
            (kept.length === 0
                ? ""
                : `; ${kept.join(", ")} ${kept.length === 1 ? "stays" : "stay"} on ${plan.version}`) +
            (untouched.length === 0 ? "" : `; not touched: ${untouched.join(", ")}`),
    );
    return { kind: "stopped", exitStatus: 1, lines };
}
