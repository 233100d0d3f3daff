import { parse } from "yaml";
import { StackConfigResult, parseStackConfig } from "../config/stackConfig";
import { configNamespace } from "../config/configLocation";
import { InputProblem } from "../errors";

/**
 * A stack file's own settings: the program's keys without their namespace, each value as the
 * YAML gave it. Encrypted values (`{secure: ...}`) are left out: they are only ever secret keys,
 * and a reader of the file never needs the stack's secrets. A map of them (tenantSecrets) stays
 * as the file has it, ciphertext, and the program's parser skips it as a secret key.
 */
export type StackFileValues = Readonly<Record<string, unknown>>;

export type ParsedStackFile = { ok: true; values: StackFileValues } | { ok: false; problem: InputProblem };

/** The one parser of a `Pulumi.<stack>.yaml`: every reader of stack files goes through it. */
export function parseStackFile(stack: string, fileText: string): ParsedStackFile {
    let doc: unknown;
    try {
        doc = parse(fileText);
    } catch (err) {
        return {
            ok: false,
            problem: {
                where: `Pulumi.${stack}.yaml`,
                path: "",
                message: `is not valid YAML: ${(err as Error).message}`,
            },
        };
    }
    const config = (doc as { config?: Record<string, unknown> } | null)?.config ?? {};
    const prefix = `${configNamespace}:`;
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
        if (key.startsWith(prefix) && value !== null && value !== undefined && !isEncrypted(value)) {
            values[key.slice(prefix.length)] = value;
        }
    }
    return { ok: true, values };
}

function isEncrypted(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
}

/** The values as the program receives them from Pulumi: strings, a number or a list as its JSON. */
export function asProgramConfig(values: StackFileValues): Record<string, string> {
    return Object.fromEntries(
        Object.entries(values).map(([key, value]) => [
            key,
            typeof value === "string" ? value : JSON.stringify(value),
        ]),
    );
}

/**
 * A stack's settings from its parsed file, without the Pulumi CLI, validated by the program's
 * own parser (lib/config/stackConfig.ts) with Pulumi.yaml's defaults.
 */
export function stackFileSettings(stack: string, file: ParsedStackFile): StackConfigResult {
    return file.ok
        ? parseStackConfig(asProgramConfig(file.values), stack)
        : { ok: false, problems: [file.problem] };
}
