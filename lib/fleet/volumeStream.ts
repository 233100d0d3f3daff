import { finished, start } from "../cli/processRunner";
import { labelKeys } from "../docker/labels";

/** One host's engine as the Docker CLI reaches it, and an image there that has GNU tar. */
export interface VolumeEnd {
    /** The Docker CLI's environment for the host (lib/cli/stackEngine.ts). */
    env: NodeJS.ProcessEnv;
    /**
     * The fleet's ZeptoClaw image on that host: debian:trixie-slim underneath, whose essential
     * packages include GNU tar (upstream Dockerfile, v0.9.2, the runtime stage).
     */
    image: string;
}

/** The label of the throwaway containers a move runs, with the tenant's name. */
export const moveLabel = "com.zeptoclaw.move";

/**
 * `docker run` of a throwaway tar container: no network, no log, root (the volume's files belong
 * to the tenant's uid and to root), the fleet image's entrypoint bypassed.
 */
export function tarRunArgs(volume: string, image: string, tenant: string, side: "from" | "to"): string[] {
    const common = [
        "run",
        "--rm",
        "--network",
        "none",
        "--log-driver",
        "none",
        "--user",
        "0:0",
        "--label",
        `${moveLabel}=${tenant}`,
        "--entrypoint",
        "tar",
    ];
    return side === "from"
        ? [...common, "--mount", `type=volume,source=${volume},target=/from,readonly`, image]
              // Numeric owners: the tenant's uid has no name in the image, and must not get one.
              .concat(["--numeric-owner", "-C", "/from", "-cf", "-", "."])
        : [...common, "-i", "--mount", `type=volume,source=${volume},target=/to`, image].concat([
              "--numeric-owner",
              "--same-owner",
              "--same-permissions",
              "-C",
              "/to",
              "-xf",
              "-",
          ]);
}

function docker(env: NodeJS.ProcessEnv, args: string[], what: string): Promise<void> {
    return finished(start("docker", args, { env, stdout: "ignore" }), "docker", what);
}

/**
 * Copies a Docker volume from one engine to another: a tar of it from a throwaway container on
 * the source, streamed through this process into a throwaway container on the target that
 * unpacks it into a new volume of the same name, with the tenant's label as the program gives
 * it. Owners (numeric), modes and times are kept. The source volume is mounted read-only.
 */
export async function streamVolume(
    from: VolumeEnd,
    to: VolumeEnd,
    volume: string,
    tenant: string,
): Promise<void> {
    await docker(
        to.env,
        ["volume", "create", "--label", `${labelKeys.tenant}=${tenant}`, volume],
        `docker volume create ${volume} on the target`,
    );
    const reader = start("docker", tarRunArgs(volume, from.image, tenant, "from"), { env: from.env });
    const writer = start("docker", tarRunArgs(volume, to.image, tenant, "to"), {
        env: to.env,
        stdin: "pipe",
        stdout: "ignore",
    });
    reader.stdout!.pipe(writer.stdin!);
    // A writer that ends early must not leave the reader blocked on a full pipe.
    writer.stdin!.on("error", () => reader.kill());
    await Promise.all([
        finished(reader, "docker", `tar of ${volume} on the source`),
        finished(writer, "docker", `untar of ${volume} on the target`),
    ]);
}
