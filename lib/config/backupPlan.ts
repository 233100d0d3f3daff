/** How many snapshots of each tenant restic keeps (`restic forget --keep-*`). */
export interface BackupRetention {
    daily: number;
    weekly: number;
    monthly: number;
}

interface Scheduled {
    /** systemd OnCalendar expression, e.g. `*-*-* 03:00:00`. */
    schedule: string;
    retention: BackupRetention;
}

type StorageBoxTarget = Scheduled & { kind: "storagebox"; storageBoxType: string };
type S3Target = Scheduled & { kind: "s3"; repository: string };

/** Where tenant backups go, as the stack config sets it; each target with what it needs. */
export type BackupTarget = { kind: "none" } | StorageBoxTarget | S3Target;

/** A backup target with every credential it needs (`Secret`: the value, or a Pulumi secret of it). */
export type BackupPlan<Secret> =
    | { kind: "none" }
    | (StorageBoxTarget & { password: Secret; storageBoxPassword: Secret })
    | (S3Target & { password: Secret; accessKeyId: Secret; secretAccessKey: Secret });
