/**
 * Prints "<tenant> <secret>" for every secret that the tenants of a stack reference, one per
 * line. Used by dev-up.sh to give the dev stack placeholder secrets. Usage: tenantSecretRefs.ts <stack>
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describeProblem } from "../lib/errors";
import { readTenantSources } from "../lib/tenants/readTenantSources";
import { selectTenants, stacksFromFileNames } from "../lib/tenants/selectTenants";
import { knownEnvironments, tenantsDirOf } from "../lib/fleet/readHostStacks";
import { collectSecretUses } from "../lib/zeptoclaw/secretRefs";

const root = path.resolve(__dirname, "..");
const stack = process.argv[2] ?? "dev";
const stacks = stacksFromFileNames(fs.readdirSync(root));
const tenantsDir = tenantsDirOf(root, [stack]);
if (!tenantsDir.ok) {
    process.stderr.write(`${tenantsDir.message}\n`);
    process.exit(1);
}
const { tenants, problems } = selectTenants(
    readTenantSources(path.join(root, tenantsDir.dir), root),
    stack,
    stacks,
    knownEnvironments(root, stacks),
);
if (problems.length > 0) {
    process.stderr.write(problems.map(describeProblem).join("\n") + "\n");
    process.exit(1);
}
for (const tenant of tenants) {
    for (const name of new Set(collectSecretUses(tenant.zeptoclaw).map((u) => u.name))) {
        process.stdout.write(`${tenant.name} ${name}\n`);
    }
}
