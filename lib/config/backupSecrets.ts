import { InputProblem } from "../errors";
import { unreachable } from "../unreachable";
import { BackupPlan, BackupTarget } from "./backupPlan";
import { configLocation } from "./configLocation";

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

function requiredFor(target: BackupTarget): BackupSecretName[] {
    switch (target.kind) {
        case "none":
            return [];
        case "storagebox":
            return ["password", "storageBoxPassword"];
        case "s3":
            return ["password", "s3AccessKeyId", "s3SecretAccessKey"];
        default:
            return unreachable(target);
    }
}

/** The target with its credentials, or undefined when one is missing (a problem says which). */
function planOf(target: BackupTarget, values: BackupSecretValues): BackupPlan<string> | undefined {
    const { password, storageBoxPassword, s3AccessKeyId, s3SecretAccessKey } = values;
    switch (target.kind) {
        case "none":
            return target;
        case "storagebox":
            return password !== undefined && storageBoxPassword !== undefined
                ? { ...target, password, storageBoxPassword }
                : undefined;
        case "s3":
            return password !== undefined && s3AccessKeyId !== undefined && s3SecretAccessKey !== undefined
                ? { ...target, password, accessKeyId: s3AccessKeyId, secretAccessKey: s3SecretAccessKey }
                : undefined;
        default:
            return unreachable(target);
    }
}

/**
 * Reads the backup secrets the target needs, and gives the target with them. `raw` maps bare keys
 * to values; `isSecret` says whether Pulumi stores a key encrypted. A plaintext value is refused:
 * it would sit readable in Pulumi.<stack>.yaml.
 */
export function parseBackupSecrets(
    raw: Readonly<Record<string, string | undefined>>,
    isSecret: (key: string) => boolean,
    target: BackupTarget,
    stack: string,
): { ok: true; plan: BackupPlan<string> } | { ok: false; problems: InputProblem[] } {
    const problems: InputProblem[] = [];
    const values: BackupSecretValues = {};
    const required = requiredFor(target);
    for (const [name, key] of Object.entries(backupSecretKeys) as [BackupSecretName, string][]) {
        const value = raw[key];
        const where = configLocation(stack, key);
        if (value === undefined || value === "") {
            if (required.includes(name)) {
                problems.push({
                    where,
                    path: "",
                    message: `is required when backupTarget is "${target.kind}": pulumi config set --secret ${key} -s ${stack}`,
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
    const plan = planOf(target, values);
    return problems.length > 0 || plan === undefined ? { ok: false, problems } : { ok: true, plan };
}
