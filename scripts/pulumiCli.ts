/**
 * `ts-node scripts/pulumiCli.ts`: prints the folder of the Pulumi CLI the operator commands
 * drive, for scripts to put first in PATH (`npm run dev:up`); prints nothing when it is the one
 * already on PATH. The pinned version is installed first when it is needed and absent
 * (lib/cli/pulumiDriver.ts). Messages go to standard error.
 */
import * as path from "node:path";
import { CommandContext, runMain } from "../lib/cli/command";
import { pulumiDriver } from "../lib/cli/pulumiDriver";

export async function pulumiCliCommand(_argv: string[], context: CommandContext): Promise<number> {
    const { cli } = await pulumiDriver(context.cwd, (line) => context.stderr.write(`pulumi-cli: ${line}\n`));
    context.stdout.write(path.isAbsolute(cli.command) ? `${path.dirname(cli.command)}\n` : "");
    return 0;
}

if (require.main === module) {
    runMain("pulumi-cli", pulumiCliCommand);
}
