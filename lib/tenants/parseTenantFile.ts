import * as path from "node:path";
import { parseDocument } from "yaml";
import { InputProblem, problemsFromZod } from "../errors";
import { TenantFile, tenantFileSchema } from "./tenantSchema";

export const tenantFileExtensions = [".yaml", ".yml", ".json"] as const;

export type ParsedTenantFile = { ok: true; tenant: TenantFile } | { ok: false; problems: InputProblem[] };

/**
 * Parses and validates one tenant file. `file` is the path shown to the operator
 * (relative to the project, e.g. `tenants/shop-ahmad.yaml`). JSON is valid YAML, so one parser
 * reads both and reports line and column for either.
 */
export function parseTenantFile(file: string, text: string): ParsedTenantFile {
    const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
    if (document.errors.length > 0) {
        return {
            ok: false,
            problems: document.errors.map((e) => ({
                where: file,
                path: "",
                message: `is not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${e.message.split("\n")[0]}`,
            })),
        };
    }
    const data: unknown = document.toJS();
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
        return {
            ok: false,
            problems: [
                { where: file, path: "", message: "must hold a mapping with name, stacks and zeptoclaw" },
            ],
        };
    }
    const result = tenantFileSchema.safeParse(data);
    if (!result.success) {
        return { ok: false, problems: problemsFromZod(file, result.error) };
    }
    const expectedName = path.basename(file, path.extname(file));
    if (result.data.name !== expectedName) {
        return {
            ok: false,
            problems: [
                {
                    where: file,
                    path: "name",
                    message: `is "${result.data.name}" but the file is named "${expectedName}"; rename the file or the tenant so they match`,
                },
            ],
        };
    }
    return { ok: true, tenant: result.data };
}
