import { gatewayContainerArgs } from "../../../lib/docker/tenantContainers";
import { tenantNames } from "../../../lib/docker/tenantNames";
import { renderBackupScript } from "../../../lib/host/backup";
import {
    BackupStatus,
    backupRecordPath,
    describeBackup,
    parseBackupRecord,
} from "../../../lib/status/backupRecord";
import { tenantOf } from "../../support/tenantFiles";

const now = new Date("2026-11-28T15:00:00Z");

describe("parseBackupRecord", () => {
    test("reads what the backup script writes", () => {
        expect(
            parseBackupRecord('{"time":"2026-11-28T02:00:00Z","snapshot":"a1b2c3d4","bytes":12345}\n'),
        ).toEqual({
            kind: "recorded",
            record: { time: new Date("2026-11-28T02:00:00Z"), snapshot: "a1b2c3d4", bytes: 12345 },
        });
    });

    test("is read where the host's backup script writes it: the root of the volume the gateway mounts", () => {
        const script = renderBackupScript();
        // data_dir_of: the host folder of the volume mounted at this destination.
        const destination = /\{\{if eq \.Destination "([^"]+)"\}\}/.exec(script)?.[1];
        const file = /^RECORD=(\S+)$/m.exec(script)?.[1];
        expect(script).toMatch(/mv -f "\$data\/\$RECORD\.tmp" "\$data\/\$RECORD"/);
        expect(backupRecordPath).toBe(`${destination}/${file}`);
        const gateway = gatewayContainerArgs(
            tenantOf("shop-a"),
            {
                image: "sha256:1",
                version: "0.9.2",
                environment: "dev",
                hostName: "local",
                network: "zc-tenants",
                volume: "shop-a-data",
                names: tenantNames("shop-a", "/srv/zc"),
                runtime: { appArmor: false, healthStart: "start-interval" },
            },
            "0".repeat(64),
        );
        expect(gateway.mounts).toContainEqual({ type: "volume", source: "shop-a-data", target: destination });
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
