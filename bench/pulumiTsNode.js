/**
 * ts-node as `pulumi preview` and `pulumi up` register it for this project, so that the bench
 * pays what the real CLI pays. The options follow @pulumi/pulumi 3.248.0 cmd/run/run.js (its
 * CommonJS branch): transpileOnly from PULUMI_NODEJS_TRANSPILE_ONLY, else from the tsconfig's
 * noCheck, else left to ts-node; the tsconfig read by the SDK's own loader (tsutils.js).
 * bench/registerPulumiTsNode.js registers it.
 */
const fs = require("node:fs");
const path = require("node:path");
const { loadTypeScriptCompilerOptions } = require("@pulumi/pulumi/tsutils");

/** The options run.js passes to ts-node's register for a project at `root`. */
function pulumiTsNodeOptions(root, env = process.env) {
    const tsConfigPath = path.join(root, env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json");
    const compilerOptions = loadTypeScriptCompilerOptions(tsConfigPath);
    const transpileOnlyEnv = env.PULUMI_NODEJS_TRANSPILE_ONLY;
    return {
        compiler: "typescript",
        transpileOnly: transpileOnlyEnv ? transpileOnlyEnv === "true" : compilerOptions.noCheck,
        project: tsConfigPath,
        skipProject: !fs.existsSync(tsConfigPath),
        compilerOptions: {
            target: "ES2020",
            module: "nodenext",
            moduleResolution: "nodenext",
            sourceMap: "true",
            ...compilerOptions,
        },
    };
}

module.exports = { pulumiTsNodeOptions };
