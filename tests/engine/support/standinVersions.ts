import Docker from "dockerode";
import * as tarStream from "tar-stream";
import { testLabel } from "./engineAdapter";

/** The stand-in image scripts/engine/setup.sh builds. */
export const standinImage = "zeptoclaw-fleet/zeptoclaw-standin:test";

/**
 * Test-only "releases" of the stand-in, for upgrade tests: `<repository>:<version>`, each its
 * own image (a layer naming its version), as a published release would be. A never-ready
 * release runs the same stand-in with its health server moved off the port the program probes
 * (ZEPTOCLAW_HEALTH_PORT, read by the stand-in as by ZeptoClaw's src/health.rs), so its /readyz
 * never answers the health check: a version that starts but never becomes ready. Nothing of it
 * is in the stand-in itself, which stays an imitation of ZeptoClaw 0.9.2.
 */
export interface StandinRelease {
    version: string;
    neverReady?: boolean;
}

function dockerfile(release: StandinRelease): string {
    const lines = [`FROM ${standinImage}`, `LABEL org.zeptoclaw-fleet.test.release=${release.version}`];
    if (release.neverReady) {
        lines.push(
            "RUN mv /usr/local/bin/zeptoclaw /usr/local/bin/zeptoclaw-standin && " +
                "printf '#!/bin/sh\\nZEPTOCLAW_HEALTH_PORT=9091 exec zeptoclaw-standin \"$@\"\\n' > /usr/local/bin/zeptoclaw && " +
                "chmod 0755 /usr/local/bin/zeptoclaw",
        );
    }
    return `${lines.join("\n")}\n`;
}

/** Builds each release as `<repository>:<version>`; returns the image id of each version. */
export async function buildStandinReleases(
    docker: Docker,
    repository: string,
    releases: ReadonlyArray<StandinRelease>,
    runId: string,
): Promise<Record<string, string>> {
    const ids: Record<string, string> = {};
    for (const release of releases) {
        const pack = tarStream.pack();
        pack.entry({ name: "Dockerfile" }, dockerfile(release));
        pack.finalize();
        const tag = `${repository}:${release.version}`;
        const stream = await docker.buildImage(pack as unknown as NodeJS.ReadableStream, {
            t: tag,
            labels: { [testLabel]: runId },
        });
        await new Promise<void>((resolve, reject) =>
            docker.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
                const failed = output?.find((o) => o.error);
                if (err || failed) {
                    reject(err ?? new Error(failed?.error));
                } else {
                    resolve();
                }
            }),
        );
        ids[release.version] = (await docker.getImage(tag).inspect()).Id;
    }
    return ids;
}

/** Removes the releases' tags (and their images, once no container uses them). */
export async function removeStandinReleases(
    docker: Docker,
    repository: string,
    releases: ReadonlyArray<StandinRelease>,
): Promise<void> {
    for (const release of releases) {
        await docker
            .getImage(`${repository}:${release.version}`)
            .remove()
            .catch(() => undefined);
    }
}
