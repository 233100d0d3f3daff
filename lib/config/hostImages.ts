/**
 * The Hetzner images a fleet host may run, each with the Debian docker.io its cloud-init installs
 * (pinned at creation; apt then keeps Docker to Debian's archive) and the Docker API that package
 * speaks. The host scripts are tested against these two releases' packages; any other image is
 * refused at preview.
 */
export const hostImages = {
    /** Debian 13 (trixie): docker.io 26.1, API 1.45 (healthcheck start_interval since API 1.44). */
    "debian-13": { dockerLine: "26.1", dockerPackageVersion: "26.1.5+dfsg1-9+deb13u1+b1", dockerApi: "1.45" },
    /** Debian 12 (bookworm): docker.io 20.10, API 1.41. Kept while such hosts exist; move them off. */
    "debian-12": {
        dockerLine: "20.10",
        dockerPackageVersion: "20.10.24+dfsg1-1+deb12u1+b6",
        dockerApi: "1.41",
    },
} as const;

export type HostImage = keyof typeof hostImages;

/** What a new Hetzner host runs unless its stack says otherwise. */
export const defaultHostImage: HostImage = "debian-13";

export const supportedHostImages = Object.keys(hostImages) as [HostImage, ...HostImage[]];

/**
 * Why a pinned docker.io version cannot be installed on the image, or undefined when it can:
 * each Debian release carries one Docker line, and apt refuses a version its archive lacks.
 */
export function dockerPackageMismatch(image: HostImage, version: string): string | undefined {
    const { dockerLine, dockerPackageVersion } = hostImages[image];
    return version.startsWith(`${dockerLine}.`)
        ? undefined
        : `is docker.io ${version}, which ${image} does not carry: its Docker is ${dockerLine} (${dockerPackageVersion}); set that or remove the key (pulumi config rm dockerPackageVersion) to take the program's pin`;
}
