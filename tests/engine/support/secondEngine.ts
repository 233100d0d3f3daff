import { execFileSync, spawnSync } from "node:child_process";
import * as path from "node:path";
import Docker from "dockerode";
import { standinImage } from "./standinVersions";

const script = path.resolve(__dirname, "..", "..", "..", "scripts/engine/second-engine.sh");

/**
 * A second Docker engine on this machine (scripts/engine/second-engine.sh), for the suites that
 * move tenants between two hosts, with the stand-in under `repository:0.9.2` on both engines (no
 * registry is reachable). `dir` is fixed per suite, so that a run killed before its cleanup is
 * cleaned up by the next one.
 */
export async function startSecondEngine(
    dir: string,
    release: "debian-12" | "debian-13",
    first: Docker,
    repository: string,
): Promise<{ socket: string; docker: Docker; stop: () => Promise<void> }> {
    const socket = `${dir}/docker.sock`;
    const image = `${repository}:0.9.2`;
    spawnSync(script, ["stop", dir], { stdio: "inherit" });
    execFileSync(script, ["start", dir, release], { stdio: "inherit" });
    await first.getImage(standinImage).tag({ repo: repository, tag: "0.9.2" });
    execFileSync("bash", ["-c", `docker save ${image} | docker -H unix://${socket} load -q`], {
        stdio: "inherit",
    });
    return {
        socket,
        docker: new Docker({ socketPath: socket }),
        stop: async () => {
            await first
                .getImage(image)
                .remove()
                .catch(() => undefined);
            spawnSync(script, ["stop", dir], { stdio: "inherit" });
        },
    };
}
