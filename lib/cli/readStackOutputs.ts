import * as fs from "node:fs";
import * as path from "node:path";
import { ParsedStackOutputs, parseStackOutputs } from "../status/stackOutputs";
import { PulumiDriver } from "./pulumiDriver";

/**
 * A stack's outputs, read with the operator's Pulumi CLI, login and backend, for the operator
 * commands that reach the stack's host (`npm run status`, `npm run backup|restore|snapshots`).
 * @param projectRoot the project folder (where Pulumi.yaml is), for hints
 */
export function readStackOutputs(
    stack: string,
    projectRoot: string,
    pulumi: PulumiDriver,
): ParsedStackOutputs {
    // Pulumi's own errors and prompts (a passphrase) go to the operator directly.
    const result = pulumi.runSync(["stack", "output", "--json", "-s", stack], { terminal: "prompts" });
    if (result.code !== 0) {
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
