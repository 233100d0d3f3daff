import * as fs from "node:fs";
import * as path from "node:path";
import { DockerConnection, sshWrapperScript } from "../status/dockerConnection";
import { notInstalled } from "./processRunner";

export type DockerEnvironment = { ok: true; env: NodeJS.ProcessEnv } | { ok: false; message: string };

/** The first executable `name` on PATH outside `skip`. */
function findOnPath(name: string, skip: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        const candidate = path.join(dir, name);
        if (dir === "" || path.resolve(dir) === path.resolve(skip)) {
            continue;
        }
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            if (fs.statSync(candidate).isFile()) {
                return candidate;
            }
        } catch {
            // not here
        }
    }
    return undefined;
}

/**
 * The environment the Docker CLI runs in for the operator commands that reach a stack's engine
 * (`npm run status`, `npm run tenant -- remove --purge`): DOCKER_HOST from the stack (which
 * overrides any docker context) and, for SSH, an `ssh` first in PATH that accepts the stack's
 * host key only. `dir` is a private temporary folder for the known_hosts file and the wrapper.
 */
export function dockerEnvironment(connection: DockerConnection, dir: string): DockerEnvironment {
    const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: connection.dockerHost };
    delete env.DOCKER_CONTEXT;
    if (connection.kind === "ssh") {
        const realSsh = findOnPath("ssh", dir);
        if (realSsh === undefined) {
            return { ok: false, message: notInstalled("ssh").message };
        }
        const knownHosts = path.join(dir, "known_hosts");
        fs.writeFileSync(knownHosts, connection.knownHosts, { mode: 0o600 });
        fs.writeFileSync(path.join(dir, "ssh"), sshWrapperScript(realSsh, knownHosts), { mode: 0o700 });
        env.PATH = `${dir}${path.delimiter}${process.env.PATH ?? ""}`;
    }
    return { ok: true, env };
}
