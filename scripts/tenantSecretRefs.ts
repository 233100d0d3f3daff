/**
 * `ts-node scripts/tenantSecretRefs.ts <stack>`: prints "<tenant> <secret>" for every secret
 * that the tenants of a stack reference, one per line. Used by dev-up.sh to give the dev stack
 * placeholder secrets. Run from the project folder.
 */
import * as path from "node:path";
import {
    CommandContext,
    fail,
    knownStacks,
    projectRoot,
    requireKnownStack,
    runMain,
} from "../lib/cli/command";
import { parseCommandLine } from "../lib/cli/commandLine";
import { describeProblem } from "../lib/errors";
import { readTenantSources } from "../lib/tenants/readTenantSources";
import { selectTenants } from "../lib/tenants/selectTenants";
import { knownEnvironments, tenantsDirOf } from "../lib/fleet/readHostStacks";
import { collectSecretUses } from "../lib/zeptoclaw/secretRefs";

const usage = "usage: ts-node scripts/tenantSecretRefs.ts <stack>";

export function tenantSecretRefsCommand(argv: string[], context: CommandContext): Promise<number> {
    const root = projectRoot(context.cwd);
    const { positionals } = parseCommandLine(argv, {}, usage);
    if (positionals.length !== 1) {
        fail(`name one stack\n${usage}`);
    }
    const stacks = knownStacks(root);
    const stack = requireKnownStack(positionals[0], stacks);
    const tenantsDir = tenantsDirOf(root, [stack]);
    if (!tenantsDir.ok) {
        fail(tenantsDir.message);
    }
    const { tenants, problems } = selectTenants(
        readTenantSources(path.join(root, tenantsDir.dir), root),
        stack,
        stacks,
        knownEnvironments(root, stacks),
    );
    if (problems.length > 0) {
        fail(problems.map(describeProblem).join("\n"), 1);
    }
    for (const tenant of tenants) {
        for (const name of new Set(collectSecretUses(tenant.zeptoclaw).map((u) => u.name))) {
            context.stdout.write(`${tenant.name} ${name}\n`);
        }
    }
    return Promise.resolve(0);
}

if (require.main === module) {
    runMain("tenant-secret-refs", tenantSecretRefsCommand);
}
