import { InputProblem } from "../errors";
import { Tenant } from "../tenants/tenant";

export interface DiskCapacity {
    /** Tenant disk limits that can never be reached: each is larger than the whole data Volume. */
    problems: InputProblem[];
    /**
     * Set when the limits add up to more than the Volume: allowed (quotas reserve nothing, and
     * tenants rarely all fill up), but then a full Volume, not a quota, is what stops a tenant.
     */
    overcommitWarning?: string;
}

/**
 * Checks the tenants' disk limits (`resources.diskMb`) against the data Volume holding them.
 * @param dataVolumeGb the Volume's size (`dataVolumeGb`)
 * @param volumeKey where the size is set, for messages
 */
export function diskCapacity(
    tenants: ReadonlyArray<Tenant>,
    dataVolumeGb: number,
    volumeKey: string,
): DiskCapacity {
    const volumeMb = dataVolumeGb * 1024;
    const problems: InputProblem[] = tenants
        .filter((t) => t.resources.diskMb > volumeMb)
        .map((t) => ({
            where: t.file,
            path: "resources.diskMb",
            message: `is ${t.resources.diskMb} MB, more than the whole ${dataVolumeGb} GB data Volume (${volumeKey}); lower it or grow the Volume`,
        }));
    const totalMb = tenants.reduce((sum, t) => sum + t.resources.diskMb, 0);
    return {
        problems,
        overcommitWarning:
            totalMb > volumeMb
                ? `${volumeKey}: the tenants' disk limits add up to ${(totalMb / 1024).toFixed(1)} GB on a ${dataVolumeGb} GB data Volume: if they all fill up, the Volume runs out before their limits; watch the DATA column of npm run status, or grow the Volume`
                : undefined,
    };
}
