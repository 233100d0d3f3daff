import * as path from "node:path";
import { MovePlan } from "./moveTenant";
import { journalDir } from "./operationJournal";
import { MoveProgress } from "./runMove";

/** A tenant's move as its journal keeps it: the plan it was started with, and how far it got. */
export interface MoveEntry {
    plan: MovePlan;
    progress: MoveProgress;
}

/** The journal of a tenant's move, which is also the lock on the tenant: one operation at a time. */
export function moveJournalFile(root: string, tenant: string): string {
    return path.join(root, journalDir, `tenant-${tenant}.json`);
}

/** What was asked of a tenant that has an unfinished move. */
export type MoveRequest = { kind: "move"; target: string } | { kind: "abort" };

/**
 * What to do with an unfinished move when the command is run again: go on with it (the same
 * target, or an abort), or refuse another operation on the tenant until it is finished or undone.
 */
export function unfinishedMove(
    entry: MoveEntry,
    request: MoveRequest,
): { ok: true } | { ok: false; message: string } {
    const { tenant, target } = entry.plan;
    if (request.kind === "abort" || request.target === target) {
        return { ok: true };
    }
    return {
        ok: false,
        message:
            `${tenant} has an unfinished move to ${target} (${entry.progress.done} of ${entry.plan.steps.length} steps done); ` +
            `finish it (npm run fleet -- move ${tenant} ${target}) or undo it (npm run fleet -- move ${tenant} --abort) first; nothing was changed`,
    };
}
