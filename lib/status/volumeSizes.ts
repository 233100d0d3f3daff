import { parseDockerSize } from "./sizes";

/**
 * Volume name → bytes, from `docker system df -v --format '{{json .Volumes}}'`. Docker prints
 * each size rounded (`12.3MB`) and `N/A` when it could not measure one; those are left out.
 */
export function parseVolumeSizes(json: string): Map<string, number> {
    const sizes = new Map<string, number>();
    const volumes: unknown = JSON.parse(json);
    if (!Array.isArray(volumes)) {
        throw new Error("docker system df -v printed no list of volumes");
    }
    for (const v of volumes as { Name?: unknown; Size?: unknown }[]) {
        const size = typeof v.Size === "string" ? parseDockerSize(v.Size) : undefined;
        if (typeof v.Name === "string" && size !== undefined) {
            sizes.set(v.Name, size);
        }
    }
    return sizes;
}
