import * as fs from "node:fs";
import * as path from "node:path";
import { HostStack, stackEnvironment } from "./fleetEnvironments";

/** Each stack's environment and tenant folder, from its Pulumi.<stack>.yaml (or .yml) beside Pulumi.yaml. */
export function readHostStacks(
    root: string,
    stacks: ReadonlyArray<string>,
): { hosts: HostStack[]; errors: { stack: string; message: string }[] } {
    const hosts: HostStack[] = [];
    const errors: { stack: string; message: string }[] = [];
    for (const stack of stacks) {
        const yaml = path.join(root, `Pulumi.${stack}.yaml`);
        const file = fs.existsSync(yaml) ? yaml : path.join(root, `Pulumi.${stack}.yml`);
        try {
            hosts.push(stackEnvironment(stack, fs.readFileSync(file, "utf8")));
        } catch (err) {
            errors.push({ stack, message: (err as Error).message });
        }
    }
    return { hosts, errors };
}

/**
 * The environments of the project's stacks: names a tenant file may list to wait for placement
 * (lib/tenants/selectTenants.ts). A stack file that cannot be read adds none; its own preview
 * says why.
 */
export function knownEnvironments(root: string, stacks: ReadonlyArray<string>): string[] {
    return [...new Set(readHostStacks(root, stacks).hosts.map((h) => h.environment))].sort();
}

/**
 * The tenants folder these stacks read (each one's zeptoclaw-fleet:tenantsDir, `tenants` by
 * default), relative to the project: a command working on them finds and writes tenant files
 * there. Refused when they read different folders, or a stack file cannot be read.
 */
export function tenantsDirOf(
    root: string,
    stacks: ReadonlyArray<string>,
): { ok: true; dir: string } | { ok: false; message: string } {
    const { hosts, errors } = readHostStacks(root, stacks);
    if (errors.length > 0) {
        return { ok: false, message: errors.map((e) => e.message).join("; ") };
    }
    const dirs = [...new Set(hosts.map((h) => h.tenantsDir))];
    if (dirs.length > 1) {
        return {
            ok: false,
            message: `${hosts.map((h) => `${h.stack} reads ${h.tenantsDir}`).join(", ")}: one command works on one tenants folder`,
        };
    }
    return { ok: true, dir: dirs[0] ?? "tenants" };
}
