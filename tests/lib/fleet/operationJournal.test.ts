import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { JournalFile, ownerGone } from "../../../lib/fleet/operationJournal";
import { tempDir } from "../../support/tempDir";

/** The pid of a process that has ended. */
function endedPid(): number {
    return spawnSync(process.execPath, ["-e", "0"]).pid;
}

const here = os.hostname();
const me = { host: here, pid: process.pid, since: "2026-12-07T04:00:00.000Z" };

describe("JournalFile", () => {
    test("the first claim creates it, exclusively; the holder writes it whole and removes it", () => {
        const file = path.join(tempDir("zc-journal-"), "ops/tenant-a.json");
        const claimed = JournalFile.claim(file, { done: 0 }, { owner: me });
        expect(claimed.kind).toBe("new");
        expect(JournalFile.read(file)).toEqual({ owner: me, entry: { done: 0 } });
        if (claimed.kind === "held") {
            throw new Error("held");
        }
        claimed.journal.write({ done: 3 });
        expect(JournalFile.read(file)).toEqual({ owner: me, entry: { done: 3 } });
        expect(fs.readdirSync(path.dirname(file))).toEqual(["tenant-a.json"]);
        claimed.journal.remove();
        expect(JournalFile.read(file)).toBeUndefined();
    });

    test("a run that may still be going holds it: a live process here, or any process on another machine", () => {
        const file = path.join(tempDir("zc-journal-"), "tenant-a.json");
        const live = { host: here, pid: process.ppid, since: "2026-12-07T03:00:00.000Z" };
        JournalFile.claim(file, { done: 2 }, { owner: live });
        expect(JournalFile.claim(file, { done: 0 }, { owner: me })).toEqual({ kind: "held", owner: live });
        // --take-over does not take it from a process of this machine that runs.
        expect(JournalFile.claim(file, { done: 0 }, { owner: me, force: true })).toEqual({
            kind: "held",
            owner: live,
        });

        const remote = path.join(path.dirname(file), "tenant-b.json");
        const elsewhere = { host: "another-machine", pid: 4242, since: "2026-12-07T03:00:00.000Z" };
        JournalFile.claim(remote, { done: 5 }, { owner: elsewhere });
        expect(JournalFile.claim(remote, { done: 0 }, { owner: me })).toEqual({
            kind: "held",
            owner: elsewhere,
        });
        const forced = JournalFile.claim(remote, { done: 0 }, { owner: me, force: true });
        expect(forced).toMatchObject({ kind: "taken over", entry: { done: 5 }, from: elsewhere });
        expect(JournalFile.read(remote)).toEqual({ owner: me, entry: { done: 5 } });
    });

    test("a killed run's journal is taken over as it was", () => {
        const file = path.join(tempDir("zc-journal-"), "tenant-a.json");
        const killed = { host: here, pid: endedPid(), since: "2026-12-07T03:00:00.000Z" };
        expect(ownerGone(killed)).toBe(true);
        JournalFile.claim(file, { done: 4, begun: true }, { owner: killed });
        const claimed = JournalFile.claim(file, { done: 0 }, { owner: me });
        expect(claimed).toMatchObject({ kind: "taken over", entry: { done: 4, begun: true }, from: killed });
        expect(JournalFile.read(file)).toEqual({ owner: me, entry: { done: 4, begun: true } });
    });
});
