import {
    BackupStatus,
    backupRecordPath,
    describeBackup,
    parseBackupRecord,
} from "../../../lib/status/backupRecord";

const now = new Date("2026-11-28T15:00:00Z");

describe("parseBackupRecord", () => {
    test("reads what the backup script writes", () => {
        expect(
            parseBackupRecord('{"time":"2026-11-28T02:00:00Z","snapshot":"a1b2c3d4","bytes":12345}\n'),
        ).toEqual({
            kind: "recorded",
            record: { time: new Date("2026-11-28T02:00:00Z"), snapshot: "a1b2c3d4", bytes: 12345 },
        });
        expect(backupRecordPath).toBe("/data/.zeptoclaw-fleet-backup.json");
    });

    test("says what is wrong with a malformed record, without echoing its content", () => {
        const reason = (text: string) => {
            const parsed = parseBackupRecord(text);
            return parsed.kind === "malformed" ? parsed.reason : `not malformed: ${parsed.kind}`;
        };
        expect(reason("{not json")).toBe("not JSON");
        expect(reason("[]")).toBe("not a JSON object");
        expect(reason("null")).toBe("not a JSON object");
        expect(reason('{"time":"yesterday","snapshot":"a1b2c3d4","bytes":1}')).toBe(
            "time: not an ISO 8601 UTC time",
        );
        expect(reason('{"time":"2026-11-28T02:00:00+02:00","snapshot":"a1b2c3d4","bytes":1}')).toBe(
            "time: not an ISO 8601 UTC time",
        );
        expect(reason('{"time":"2026-13-45T02:00:00Z","snapshot":"a1b2c3d4","bytes":1}')).toBe(
            "time: not a valid date",
        );
        expect(reason('{"time":"2026-11-28T02:00:00Z","snapshot":"\\u001b[31mred","bytes":1}')).toBe(
            "snapshot: not a restic snapshot id",
        );
        expect(reason('{"time":"2026-11-28T02:00:00Z","snapshot":"a1b2c3d4","bytes":-1}')).toMatch(
            /^bytes: /,
        );
        expect(reason('{"time":"2026-11-28T02:00:00Z","snapshot":"a1b2c3d4"}')).toMatch(/^bytes: /);
    });
});

describe("describeBackup", () => {
    test("time and age, never, malformed, unreadable, no container", () => {
        const cell = (s: BackupStatus) => describeBackup(s, now);
        expect(
            cell(parseBackupRecord('{"time":"2026-11-28T02:00:00Z","snapshot":"a1b2c3d4","bytes":1}')),
        ).toBe("2026-11-28 02:00 UTC (13h ago)");
        expect(cell({ kind: "never" })).toBe("never");
        expect(cell({ kind: "malformed", reason: "not JSON" })).toBe("malformed record: not JSON");
        expect(cell({ kind: "unreadable", reason: "connection reset" })).toBe("unknown: connection reset");
        expect(cell({ kind: "no container" })).toBe("-");
    });
});
