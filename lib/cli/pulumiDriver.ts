import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { version as sdkVersion } from "@pulumi/pulumi/version";
import { SemVer } from "semver";
import { errorMessage, exitFailure, fail } from "./command";
import { chooseCli } from "./pulumiCliChoice";
import { AsyncRunOptions, Ran, RunOptions, run, runSync } from "./processRunner";

/**
 * Where the Automation API installs a version by default (cmd.js `withDefaults`). HOME first:
 * the home the operator's shell gives, as `~` in the messages means.
 */
function pinnedRoot(version: string): string {
    return path.join(process.env.HOME ?? os.homedir(), ".pulumi", "versions", version);
}

/**
 * The Pulumi CLI to drive (lib/cli/pulumiCliChoice.ts decides): the one on PATH, or the pinned
 * version from its folder, which the Automation API's installer fills when it is empty. `log`
 * hears which one and why.
 */
async function resolvePulumiCli(log: (line: string) => void): Promise<PulumiCommand> {
    let installed: PulumiCommand | undefined;
    try {
        installed = await PulumiCommand.get({ skipVersionCheck: true });
    } catch {
        installed = undefined;
    }
    const choice = chooseCli(installed?.version?.toString(), sdkVersion);
    switch (choice.kind) {
        case "installed":
            return installed!;
        case "pinned": {
            const root = pinnedRoot(choice.version);
            const version = new SemVer(choice.version);
            if (fs.existsSync(path.join(root, "bin", "pulumi"))) {
                log(`using Pulumi CLI ${choice.version} from ${root} (${choice.reason})`);
                return PulumiCommand.get({ root, version });
            }
            log(`installing Pulumi CLI ${choice.version} into ${root} (${choice.reason})`);
            try {
                return await PulumiCommand.install({ root, version });
            } catch (err) {
                fail(
                    `could not install Pulumi CLI ${choice.version}: ${errorMessage(err)}; install it yourself (https://www.pulumi.com/docs/install/) and run this again`,
                    exitFailure,
                );
            }
        }
    }
}

/**
 * The one way the operator commands drive Pulumi: the same CLI for every command (fleet, move,
 * drain, upgrade, status, logs, tenant, backup), run in the project folder, with the operator's
 * login and backend.
 */
export interface PulumiDriver {
    /** The CLI for the Automation API (LocalWorkspace's `pulumiCommand`). */
    cli: PulumiCommand;
    /** `pulumi <args>` without blocking, collected (lib/cli/processRunner.ts `run`). */
    run(args: string[], options?: Omit<AsyncRunOptions, "cwd">): Promise<Ran>;
    /** `pulumi <args>` to its end; `terminal` as processRunner's `runSync`. */
    runSync(args: string[], options?: Omit<RunOptions, "cwd">): Ran;
}

/** The driver for the project at `root`; `log` hears which CLI it chose, when not the one on PATH. */
export async function pulumiDriver(root: string, log: (line: string) => void): Promise<PulumiDriver> {
    const cli = await resolvePulumiCli(log);
    return {
        cli,
        run: (args, options) => run(cli.command, args, { ...options, cwd: root }),
        runSync: (args, options) => runSync(cli.command, args, { ...options, cwd: root }),
    };
}
