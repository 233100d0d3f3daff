import { spawnSync } from "node:child_process";

/**
 * Fails with shellcheck's findings when `script` has any. shellcheck reads it on its standard
 * input, so no file is left behind; like a file, it is judged by its shebang.
 * (tests/support/unitTestTools.ts lists shellcheck among what the unit tests need.)
 */
export function shellcheck(script: string): void {
    const run = spawnSync("shellcheck", ["-"], { input: script, encoding: "utf8" });
    if (run.error !== undefined || run.status !== 0) {
        throw new Error(
            `shellcheck refused the script:\n${run.stdout}${run.stderr}${run.error?.message ?? ""}`,
        );
    }
}
