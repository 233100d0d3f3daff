import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/**
 * The Node flags the Pulumi CLI starts the program with: Pulumi.yaml's runtime option `nodeargs`,
 * split on whitespace as the language host splits it (shlex; pulumi/pulumi v3.259.0
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go) for flags without quotes.
 */
export function pulumiNodeArgs(root: string): string[] {
    const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
        runtime?: { options?: { nodeargs?: string } };
    };
    const nodeargs = project.runtime?.options?.nodeargs ?? "";
    return nodeargs.split(/\s+/).filter((a) => a !== "");
}
