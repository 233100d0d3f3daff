import { configLocation } from "../config/configLocation";
import { InputProblem } from "../errors";
import { StackFileValues } from "./stackFile";

/** A host stack of the project: one Pulumi.<stack>.yaml. */
export interface HostStack {
    stack: string;
    /** The stack's `zeptoclaw-fleet:environment`, or the stack's name when it sets none. */
    environment: string;
    /** The stack's `zeptoclaw-fleet:tenantsDir`: where its tenant files are; default `tenants`. */
    tenantsDir: string;
}

/**
 * Where a stack belongs, from its file's values: the same keys the program reads
 * (lib/config/stackConfig.ts), so one setting says both. Read for every stack of the project,
 * so only these two keys are checked here; each stack's own preview checks the rest.
 */
export function hostStackOf(
    stack: string,
    values: StackFileValues,
): { ok: true; host: HostStack } | { ok: false; problems: InputProblem[] } {
    const problems: InputProblem[] = [];
    const text = (key: string, what: string): string | undefined => {
        const value = values[key];
        if (value !== undefined && typeof value !== "string") {
            problems.push({
                where: configLocation(stack, key),
                path: "",
                message: `must be a string (${what})`,
            });
            return undefined;
        }
        return value === "" ? undefined : value;
    };
    const environment = text("environment", "the environment this host belongs to, e.g. prod") ?? stack;
    const tenantsDir = text("tenantsDir", "the folder of tenant files, relative to the project") ?? "tenants";
    return problems.length > 0
        ? { ok: false, problems }
        : { ok: true, host: { stack, environment, tenantsDir } };
}
