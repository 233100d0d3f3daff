import { formatPath } from "../errors";
import { SecretRef } from "../zeptoclaw/contract/secretRef";

export interface SecretUse {
    /** Where the reference stands in the tenant file, e.g. `zeptoclaw.channels.telegram.token`. */
    path: string;
    name: string;
}

function isSecretRef(value: unknown): value is SecretRef {
    return (
        typeof value === "object" &&
        value !== null &&
        Object.keys(value).length === 1 &&
        typeof (value as { secret?: unknown }).secret === "string"
    );
}

/** Every `{secret: NAME}` in a tenant's ZeptoClaw settings, in document order. */
export function collectSecretUses(
    settings: unknown,
    prefix: ReadonlyArray<PropertyKey> = ["zeptoclaw"],
): SecretUse[] {
    if (isSecretRef(settings)) {
        return [{ path: formatPath(prefix), name: settings.secret }];
    }
    if (Array.isArray(settings)) {
        return settings.flatMap((item, i) => collectSecretUses(item, [...prefix, i]));
    }
    if (typeof settings === "object" && settings !== null) {
        return Object.entries(settings).flatMap(([k, v]) => collectSecretUses(v, [...prefix, k]));
    }
    return [];
}

/** A deep copy of `settings` with every secret reference replaced by its value. */
export function substituteSecrets(settings: unknown, values: Readonly<Record<string, string>>): unknown {
    if (isSecretRef(settings)) {
        const value = values[settings.secret];
        if (value === undefined) {
            // Callers validate references first; reaching this is a bug, not an operator mistake.
            throw new Error(`secret "${settings.secret}" was not resolved`);
        }
        return value;
    }
    if (Array.isArray(settings)) {
        return settings.map((item) => substituteSecrets(item, values));
    }
    if (typeof settings === "object" && settings !== null) {
        return Object.fromEntries(
            Object.entries(settings).map(([k, v]) => [k, substituteSecrets(v, values)]),
        );
    }
    return settings;
}
