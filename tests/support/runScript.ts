import { SpawnSyncReturns, spawnSync } from "node:child_process";
import * as path from "node:path";

const repo = path.resolve(__dirname, "..", "..");

export interface ScriptRun {
    /** Where the script runs, as the operator's working directory. */
    cwd: string;
    /** A folder of fake tools put first in PATH, so the script runs them instead of the real ones. */
    fakeBin: string;
    /** Standard input, when the script reads one. */
    input?: string;
    /** More of the script's environment (HOME, for the pinned Pulumi CLI's folder). */
    env?: Record<string, string>;
}

/**
 * Runs an operator script as `npm run` does, in a process of its own: for what the in-process
 * command cannot show, such as the tools it runs and their environment.
 */
export function runScript(script: string, args: string[], run: ScriptRun): SpawnSyncReturns<string> {
    return spawnSync(
        process.execPath,
        [
            "-r",
            require.resolve("ts-node/register/transpile-only"),
            path.join(repo, "scripts", script),
            ...args,
        ],
        {
            cwd: run.cwd,
            input: run.input,
            encoding: "utf8",
            env: {
                ...process.env,
                PATH: `${run.fakeBin}:${process.env.PATH}`,
                TS_NODE_PROJECT: path.join(repo, "tsconfig.json"),
                ...run.env,
            },
        },
    );
}
