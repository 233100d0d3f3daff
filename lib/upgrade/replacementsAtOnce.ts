/**
 * How many tenants one `pulumi up` replaces at once on a host (`pulumi up --parallel`): each of
 * Pulumi's workers carries one container's delete and create to its end before it takes the next
 * (pulumi/pulumi pkg/resource/deploy/step_executor.go), so this bounds how many tenants are down
 * together. Measured on a 2-core engine (docs/capacity.md, "Tenant downtime"): 40 stand-in
 * tenants replaced all at once were down 6.7 to 47 s each, the host's cores being shared by
 * every removal, creation, start and first probe; two per core kept each one's downtime at 1.2 to
 * 2.5 s.
 */
export const replacementsPerCore = 2;

/** `pulumi up --parallel` for a host of `cores` cores, as the engine reports them (docker info's NCPU). */
export function replacementsAtOnce(cores: number): number {
    return Math.max(1, Math.floor(cores)) * replacementsPerCore;
}
