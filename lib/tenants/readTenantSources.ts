import * as fs from "node:fs";
import * as path from "node:path";
import { tenantFileExtensions } from "./parseTenantFile";
import { TenantSource } from "./selectTenants";

/**
 * Reads every tenant file of `dir`. Other files (a README, editor backups) are ignored;
 * `displayRoot` makes the paths in error messages relative to the project.
 */
export function readTenantSources(dir: string, displayRoot: string): TenantSource[] {
    return fs
        .readdirSync(dir)
        .filter((f) => (tenantFileExtensions as ReadonlyArray<string>).includes(path.extname(f)))
        .sort()
        .map((f) => {
            const full = path.join(dir, f);
            return { file: path.relative(displayRoot, full), text: fs.readFileSync(full, "utf8") };
        });
}
