import * as path from "node:path";
import { CORE_SCHEMA, load, YAMLException } from "js-yaml";
import { InputProblem, problemsFromZod } from "../errors";
import { TenantFile, tenantFileSchema } from "./tenantSchema";

export const tenantFileExtensions = [".yaml", ".yml", ".json"] as const;

export type ParsedTenantFile = { ok: true; tenant: TenantFile } | { ok: false; problems: InputProblem[] };

/**
 * Parses and validates one tenant file. `file` is the path shown to the operator
 * (relative to the project, e.g. `tenants/shop-ahmad.yaml`). JSON is valid YAML, so one parser
 * reads both and reports line and column for either.
 *
 * js-yaml, not the `yaml` package the rest of the project uses: every host stack reads every tenant
 * file, and for 1000 files js-yaml took 52 ms where `yaml`'s parseDocument took 387 ms (first
 * pass, as a preview makes it). Its core schema reads what YAML 1.2's core schema reads: no
 * timestamps, no merge keys. A key repeated in one mapping is an error, as before.
 */
export function parseTenantFile(file: string, text: string): ParsedTenantFile {
    let data: unknown;
    try {
        data = load(text, { schema: CORE_SCHEMA });
    } catch (err) {
        if (!(err instanceof YAMLException)) {
            throw err;
        }
        return {
            ok: false,
            problems: [
                {
                    where: file,
                    path: "",
                    message: `is not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${yamlErrorText(err)}`,
                },
            ],
        };
    }
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

/** js-yaml's reason and position, without the source excerpt it appends. */
function yamlErrorText(err: YAMLException): string {
    const { mark } = err;
    return mark === undefined
        ? err.reason
        : `${err.reason} at line ${mark.line + 1}, column ${mark.column + 1}`;
}
