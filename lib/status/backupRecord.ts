import { z } from "zod";
import { backupRecordFile } from "../host/backup";
import { dataDir } from "../docker/containerPaths";
import { formatAge, formatUtcMinute } from "./age";

/**
 * Where the host's backup script records a tenant's last successful backup: at the root of its
 * data volume, written by root after each backup.
 */
export const backupRecordPath = `${dataDir}/${backupRecordFile}`;

/** The most the status command reads of the record; the real one is under 100 bytes. */
export const backupRecordMaxBytes = 64 * 1024;

export interface BackupRecord {
    time: Date;
    /** restic's short snapshot id. */
    snapshot: string;
    /** Bytes backed up. */
    bytes: number;
}

/** What the LAST-BACKUP column says about one tenant. */
export type BackupStatus =
    | { kind: "recorded"; record: BackupRecord }
    | { kind: "never" }
    | { kind: "malformed"; reason: string }
    | { kind: "unreadable"; reason: string }
    | { kind: "no container" };

const recordSchema = z.object({
    time: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$/, {
            error: "not an ISO 8601 UTC time",
        })
        .refine((t) => !Number.isNaN(Date.parse(t)), { error: "not a valid date" }),
    snapshot: z.string().regex(/^[0-9a-f]{8,64}$/, { error: "not a restic snapshot id" }),
    bytes: z.number().int().nonnegative(),
});

/**
 * Reads the record's JSON. The file sits in a folder the tenant can write to, so a tenant could
 * put anything there before the first backup: every field is checked, and nothing of it is
 * printed but a parsed date.
 */
export function parseBackupRecord(text: string): BackupStatus {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch {
        return { kind: "malformed", reason: "not JSON" };
    }
    const result = recordSchema.safeParse(data);
    if (!result.success) {
        const issue = result.error.issues[0];
        const field = issue.path.join(".");
        return {
            kind: "malformed",
            reason: field === "" ? "not a JSON object" : `${field}: ${issue.message}`,
        };
    }
    const { time, snapshot, bytes } = result.data;
    return { kind: "recorded", record: { time: new Date(time), snapshot, bytes } };
}

/** The LAST-BACKUP cell: `2026-11-28 02:00 UTC (13h ago)`, `never`, `malformed record: ...`. */
export function describeBackup(status: BackupStatus, now: Date): string {
    switch (status.kind) {
        case "recorded":
            return `${formatUtcMinute(status.record.time)} (${formatAge(now.getTime() - status.record.time.getTime())})`;
        case "never":
            return "never";
        case "malformed":
            return `malformed record: ${status.reason}`;
        case "unreadable":
            return `unknown: ${status.reason}`;
        case "no container":
            return "-";
    }
}
