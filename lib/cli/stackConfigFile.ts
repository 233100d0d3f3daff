import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { configNamespace } from "../config/configLocation";

/**
 * The plaintext settings of `Pulumi.<stack>.yaml`, bare keys to strings as the program receives
 * them (lists and maps JSON-encoded). Encrypted values (`secure:`) are left out: a command that
 * reads the stack's settings from its file never needs the stack's secrets.
 */
export function readStackConfigFile(root: string, stack: string): Record<string, string> {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    const document = (parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const prefix = `${configNamespace}:`;
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(document.config ?? {})) {
        if (!key.startsWith(prefix) || isEncrypted(value)) {
            continue;
        }
        raw[key.slice(prefix.length)] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return raw;
}

function isEncrypted(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
}
