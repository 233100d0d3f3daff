import type { CreateOptions } from "ts-node";

/** The options the Pulumi CLI passes to ts-node for a project at `root` (see pulumiTsNode.js). */
export function pulumiTsNodeOptions(root: string, env?: NodeJS.ProcessEnv): CreateOptions;
