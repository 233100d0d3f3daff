import { InputProblem } from "../errors";
import { configLocation } from "./stackConfig";

/** The backup credentials, each its own encrypted stack config key. */
export const backupSecretKeys = {
    /** restic's repository password: without it no backup can be read, so keep a copy offline. */
    password: "backupPassword",
    /** The Storage Box's own password (the Hetzner API requires one; the host logs in by key). */
    storageBoxPassword: "backupStorageBoxPassword",
    s3AccessKeyId: "backupS3AccessKeyId",
    s3SecretAccessKey: "backupS3SecretAccessKey",
} as const;

export type BackupSecretName = keyof typeof backupSecretKeys;
export type BackupSecretValues = Partial<Record<BackupSecretName, string>>;

export function isBackupSecretKey(key: string): boolean {
    return (Object.values(backupSecretKeys) as string[]).includes(key);
}

const requiredFor: Record<"none" | "storagebox" | "s3", BackupSecretName[]> = {
    none: [],
    storagebox: ["password", "storageBoxPassword"],
    s3: ["password", "s3AccessKeyId", "s3SecretAccessKey"],
};

/**
 * Reads the backup secrets the target needs. `raw` maps bare keys to values; `isSecret` says
 * whether Pulumi stores a key encrypted. A plaintext value is refused: it would sit readable in
 * Pulumi.<stack>.yaml.
 */
export function parseBackupSecrets(
    raw: Readonly<Record<string, string | undefined>>,
    isSecret: (key: string) => boolean,
    target: "none" | "storagebox" | "s3",
    stack: string,
): { ok: true; values: BackupSecretValues } | { ok: false; problems: InputProblem[] } {
    const problems: InputProblem[] = [];
    const values: BackupSecretValues = {};
    for (const [name, key] of Object.entries(backupSecretKeys) as [BackupSecretName, string][]) {
        const value = raw[key];
        const where = configLocation(stack, key);
        if (value === undefined || value === "") {
            if (requiredFor[target].includes(name)) {
                problems.push({
                    where,
                    path: "",
                    message: `is required when backupTarget is "${target}": pulumi config set --secret ${key} -s ${stack}`,
                });
            }
            continue;
        }
        if (!isSecret(key)) {
            problems.push({
                where,
                path: "",
                message: `is stored in plaintext: pulumi config rm ${key} -s ${stack}, then set it again with pulumi config set --secret ${key} -s ${stack} (and change it where it was used)`,
            });
            continue;
        }
        if (name === "password" && value.length < 16) {
            problems.push({
                where,
                path: "",
                message:
                    "is shorter than 16 characters; use a long random password (e.g. openssl rand -base64 32)",
            });
            continue;
        }
        values[name] = value;
    }
    return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}
