/**
 * `ts-node scripts/tenantSecretRefs.ts <stack>`: prints "<tenant> <secret>" for every secret
 * that the tenants of a stack reference, one per line. Used by dev-up.sh to give the dev stack
 * placeholder secrets. Run from the project folder.
 */
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
import { readFleetProject, stackTenants } from "../lib/project/fleetProject";
import { collectSecretUses } from "../lib/tenants/secretRefs";

const usage = "usage: ts-node scripts/tenantSecretRefs.ts <stack>";

export function tenantSecretRefsCommand(argv: string[], context: CommandContext): Promise<number> {
    const root = projectRoot(context.cwd);
    const { positionals } = parseCommandLine(argv, {}, usage);
    if (positionals.length !== 1) {
        fail(`name one stack\n${usage}`);
    }
    const stack = requireKnownStack(positionals[0], knownStacks(root));
    const read = stackTenants(readFleetProject(root), stack);
    if (!read.ok) {
        fail(read.message);
    }
    const { tenants, problems } = read.selection;
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
