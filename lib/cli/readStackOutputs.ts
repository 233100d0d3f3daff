import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ParsedStackOutputs, parseStackOutputs } from "../status/stackOutputs";

/**
 * A stack's outputs, read with the operator's Pulumi CLI, login and backend, for the operator
 * commands that reach the stack's host (`npm run status`, `npm run backup|restore|snapshots`).
 * @param projectRoot the project folder (where Pulumi.yaml is), for the CLI and for hints
 */
export function readStackOutputs(stack: string, projectRoot: string): ParsedStackOutputs {
    const result = spawnSync("pulumi", ["stack", "output", "--json", "-s", stack], {
        cwd: projectRoot,
        encoding: "utf8",
        // Pulumi's own errors and prompts (a passphrase) go to the operator directly.
        stdio: ["inherit", "pipe", "inherit"],
        maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error !== undefined) {
        return {
            ok: false,
            message:
                (result.error as NodeJS.ErrnoException).code === "ENOENT"
                    ? "the Pulumi CLI is not installed or not on PATH (https://www.pulumi.com/docs/install/)"
                    : `could not run pulumi: ${result.error.message}`,
        };
    }
    if (result.status !== 0) {
        const localState =
            process.env.PULUMI_BACKEND_URL === undefined && fs.existsSync(path.join(projectRoot, ".pulumi"))
                ? `; a stack deployed by npm run dev:up keeps its state in .pulumi/: set PULUMI_BACKEND_URL=file://${projectRoot}/.pulumi`
                : "";
        return {
            ok: false,
            message: `pulumi stack output --json -s ${stack} failed (its message is above); is the stack initialised and deployed?${localState}`,
        };
    }
    return parseStackOutputs(stack, result.stdout);
}
