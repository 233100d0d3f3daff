/**
 * The program and the bench as JavaScript, the way `tsc` builds a Pulumi program that Pulumi.yaml
 * runs without TypeScript (`runtime.options.typescript: false`, main pointing at the build):
 * every TypeScript file the program and the bench load, transpiled with this project's compiler
 * options into a temporary copy of the project, with its stack files and node_modules. The
 * bench times such a program in plain Node, so that what the TypeScript registration costs is
 * measured, not guessed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";

const root = path.join(__dirname, "..");
/** What the program and the bench are made of; tests/ and scripts/ are neither. */
const sources = ["index.ts", "components", "lib", "bench"];

/** The TypeScript files at `entry` (a file or a folder, relative to the project), folders walked. */
function typeScriptFiles(entry: string): string[] {
    if (!fs.statSync(path.join(root, entry)).isDirectory()) {
        return [entry];
    }
    return fs.readdirSync(path.join(root, entry), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
            ? typeScriptFiles(path.join(entry, e.name))
            : // Declaration files (bench/pulumiTsNode.d.ts) type what is JavaScript already.
              e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")
              ? [path.join(entry, e.name)]
              : [],
    );
}

/** Runs `use` with the transpiled project's folder, removed afterwards. */
export async function withTranspiledProject<T>(use: (dir: string) => Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zc-bench-js-"));
    try {
        const tsconfig = ts.readConfigFile(path.join(root, "tsconfig.json"), (f) => ts.sys.readFile(f));
        const { options } = ts.parseJsonConfigFileContent(tsconfig.config, ts.sys, root);
        for (const file of sources.flatMap(typeScriptFiles)) {
            // With its source map, as tsc writes it (tsconfig.json's sourceMap): the CLI's runner
            // loads source-map-support, which maps every stack the SDK captures through it.
            const { outputText, sourceMapText } = ts.transpileModule(
                fs.readFileSync(path.join(root, file), "utf8"),
                { compilerOptions: options, fileName: path.basename(file) },
            );
            const out = path.join(dir, file.replace(/\.ts$/, ".js"));
            fs.mkdirSync(path.dirname(out), { recursive: true });
            fs.writeFileSync(out, outputText);
            if (sourceMapText !== undefined) {
                fs.writeFileSync(`${out}.map`, sourceMapText);
            }
        }
        // The program finds its stacks' files next to itself (lib/program/loadFleetConfig.ts).
        for (const file of fs.readdirSync(root).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) {
            fs.copyFileSync(path.join(root, file), path.join(dir, file));
        }
        fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
        return await use(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
