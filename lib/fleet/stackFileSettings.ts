import { parse } from "yaml";
import { StackConfigResult, parseStackConfig } from "../config/stackConfig";
import { configNamespace } from "../config/configLocation";

/**
 * A stack's settings from its Pulumi.<stack>.yaml, without the Pulumi CLI, validated by the
 * program's own parser (lib/config/stackConfig.ts) with Pulumi.yaml's defaults. The program
 * receives each value as the string Pulumi stores (a number or a list as its JSON), so the
 * file's values are turned into those strings first. Encrypted values (`{secure: ...}`) are
 * only ever secret keys, which the parser skips.
 */
export function stackFileSettings(stack: string, fileText: string): StackConfigResult {
    let doc: unknown;
    try {
        doc = parse(fileText);
    } catch (err) {
        return {
            ok: false,
            problems: [
                {
                    where: `Pulumi.${stack}.yaml`,
                    path: "",
                    message: `is not valid YAML: ${(err as Error).message}`,
                },
            ],
        };
    }
    const config = (doc as { config?: Record<string, unknown> } | null)?.config ?? {};
    const prefix = `${configNamespace}:`;
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        if (key.startsWith(prefix) && value !== null && value !== undefined) {
            raw[key.slice(prefix.length)] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return parseStackConfig(raw, stack);
}
