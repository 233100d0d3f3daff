import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Where the fleet commands keep their journals: in the project, beside the stack files. */
export const journalDir = ".zeptoclaw-fleet/operations";

/** Who runs an operation: a run on the same machine whose process is gone can be taken over. */
export interface JournalOwner {
    host: string;
    pid: number;
    /** When it took the operation, ISO 8601. */
    since: string;
}

/** A journal as kept on disk: what the operation is, who runs it, how far it got. */
export interface Journal<T> {
    owner: JournalOwner;
    entry: T;
}

export type Claimed<T> =
    /** Nobody held it: the journal is new, with `entry`. */
    | { kind: "new"; journal: JournalFile<T> }
    /** A run that is gone left it: taken over, as it was. */
    | { kind: "taken over"; journal: JournalFile<T>; entry: T; from: JournalOwner }
    /** A run that may still be going holds it. */
    | { kind: "held"; owner: JournalOwner };

/** This process, as an owner. */
export function thisRun(now: Date = new Date()): JournalOwner {
    return { host: os.hostname(), pid: process.pid, since: now.toISOString() };
}

/** Whether the owner's process is known to be gone: on this machine, and no such process. */
export function ownerGone(owner: JournalOwner, host: string = os.hostname()): boolean {
    if (owner.host !== host) {
        return false;
    }
    try {
        process.kill(owner.pid, 0);
        return false;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "ESRCH";
    }
}

/**
 * One operation's journal, and the lock on what it works on: whoever created the file holds it
 * until it is removed. Each write replaces the whole file (written beside it, then renamed), so
 * a kill leaves the last complete state, never half of one.
 */
export class JournalFile<T> {
    private constructor(
        readonly file: string,
        private readonly owner: JournalOwner,
    ) {}

    /**
     * Takes the journal at `file`: a new one with `entry` when there is none (created exclusively,
     * so of two runs at once one wins), the one a gone run left (taken over as it was), or none
     * when a run that may still be going holds it. `force` takes it from a run on another machine,
     * which cannot be checked from here.
     */
    static claim<T>(
        file: string,
        entry: T,
        options: { owner?: JournalOwner; force?: boolean } = {},
    ): Claimed<T> {
        const owner = options.owner ?? thisRun();
        fs.mkdirSync(path.dirname(file), { recursive: true });
        try {
            fs.writeFileSync(file, serialize({ owner, entry }), { flag: "wx" });
            return { kind: "new", journal: new JournalFile<T>(file, owner) };
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
                throw err;
            }
        }
        const held = JSON.parse(fs.readFileSync(file, "utf8")) as Journal<T>;
        const mine = held.owner.host === owner.host && held.owner.pid === owner.pid;
        if (
            !mine &&
            !ownerGone(held.owner, owner.host) &&
            !(options.force && held.owner.host !== owner.host)
        ) {
            return { kind: "held", owner: held.owner };
        }
        const journal = new JournalFile<T>(file, owner);
        journal.write(held.entry);
        return { kind: "taken over", journal, entry: held.entry, from: held.owner };
    }

    /** The journal at `file`, if any, without taking it. */
    static read<T>(file: string): Journal<T> | undefined {
        return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Journal<T>) : undefined;
    }

    write(entry: T): void {
        const next = `${this.file}.${process.pid}.next`;
        fs.writeFileSync(next, serialize({ owner: this.owner, entry }));
        fs.renameSync(next, this.file);
    }

    /** The operation is over: the journal goes, and with it the lock. */
    remove(): void {
        fs.rmSync(this.file, { force: true });
    }
}

function serialize<T>(journal: Journal<T>): string {
    return `${JSON.stringify(journal, null, 2)}\n`;
}

/** How a held journal is described to the operator. */
export function describeOwner(owner: JournalOwner): string {
    return `process ${owner.pid} on ${owner.host}, since ${owner.since}`;
}

/**
 * Why a journal that `--take-over` can take cannot be taken now; `doing` says what its owner
 * does, e.g. "shop-a is being moved".
 */
export function heldMessage(doing: string, owner: JournalOwner): string {
    return (
        `${doing} by ${describeOwner(owner)}; wait for it, or, if that run is gone ` +
        `and was on another machine, run this again with --take-over; nothing was changed`
    );
}
