import { SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fakePulumiShellHeader } from "../../support/fakePulumi";

const repo = path.resolve(__dirname, "..", "..", "..");

/** The outputs of a dev stack deployed on this machine's engine. */
export const localStackOutputs = {
    hostName: "local",
    hostAddress: "localhost",
    dockerHost: "unix:///var/run/docker.sock",
    dockerHostCommand: "export DOCKER_HOST=unix:///var/run/docker.sock",
    knownHostsLine: null,
    tenants: {},
};

/**
 * An operator's copy of the project in `dir`: the stack files, the given tenant files, and a
 * `pulumi` first in PATH whose `stack output --json -s dev` prints `outputs`. Operator commands
 * run there as `npm run <command>` would run them, with DOCKER_HOST pointing nowhere: the
 * stack's outputs must decide where the engine is.
 */
export function operatorProject(
    dir: string,
    tenantFiles: Record<string, string>,
    outputs = localStackOutputs,
) {
    for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"]) {
        fs.copyFileSync(path.join(repo, f), path.join(dir, f));
    }
    fs.mkdirSync(path.join(dir, "tenants"));
    for (const [name, text] of Object.entries(tenantFiles)) {
        fs.writeFileSync(path.join(dir, "tenants", name), text);
    }
    // npx finds ts-node through the project's node_modules, and never downloads it.
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"));
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(
        path.join(bin, "pulumi"),
        `${fakePulumiShellHeader}case "$*" in "stack output --json -s dev") echo '${JSON.stringify(outputs)}';; *) exit 1;; esac\n`,
        { mode: 0o755 },
    );
    const env = {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        DOCKER_HOST: "tcp://127.0.0.1:9",
        TS_NODE_PROJECT: path.join(repo, "tsconfig.json"),
    };
    const command = (script: string, args: string[]) => [
        "--no-install",
        "ts-node",
        "--transpile-only",
        path.join(repo, "scripts", script),
        ...args,
    ];
    return {
        /** Runs scripts/<script> to its end. */
        run(script: string, args: string[]): SpawnSyncReturns<string> {
            return spawnSync("npx", command(script, args), { cwd: dir, encoding: "utf8", env });
        },
        /** Starts scripts/<script> and leaves it running. */
        start(script: string, args: string[]) {
            return spawn("npx", command(script, args), { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
        },
    };
}
