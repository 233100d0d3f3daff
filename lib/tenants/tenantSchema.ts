import { z } from "zod";
import { declaredCpus, cpusSurviveReadBack } from "./providerCpus";
import { zeptoclawSchema } from "../zeptoclaw/contract/zeptoclawSchema";

export { secretNamePattern } from "../zeptoclaw/contract/secretRef";
export type { SecretRef } from "../zeptoclaw/contract/secretRef";

/**
 * The schema of one tenant file (tenants/<name>.yaml). Every object is strict; its `zeptoclaw`
 * block is ZeptoClaw's config contract (lib/zeptoclaw/contract/).
 */

/** DNS-label style: it becomes part of container, volume and host path names. */
export const tenantNamePattern = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
export const stackNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Per-tenant uids live above the ranges that hosts give to people and to user-namespace maps. */
export const tenantUidRange = { min: 10_000_000, max: 2_000_000_000 } as const;

/**
 * The seed's compose limits; `cpuReservation` becomes a relative CPU weight (cpu shares).
 * `diskMb` is new (the seed had no disk limit): 1 GB holds years of a small business's sessions
 * and memory, and bounds what one tenant can take from the data volume all tenants share.
 */
export const defaultTenantResources = {
    memoryMb: 128,
    memoryReservationMb: 32,
    cpus: 0.25,
    cpuReservation: 0.05,
    pids: 256,
    diskMb: 1024,
} as const;

/**
 * Bounds of `resources.diskMb`. Below 64 MB a tenant could not keep its sessions for long; the
 * upper bound only catches unit mistakes (a size in KB or bytes), 1 TB being beyond any volume.
 */
export const tenantDiskMbRange = { min: 64, max: 1_048_576 } as const;

/** The upgrade ring of a tenant file without `ring`; the stack's imageRings must list it. */
export const defaultRing = "main";
export const ringNamePattern = /^[a-z][a-z0-9-]{0,30}$/;

const resourcesSchema = z
    .strictObject({
        memoryMb: z.number().int().min(32).default(defaultTenantResources.memoryMb),
        memoryReservationMb: z.number().int().min(4).default(defaultTenantResources.memoryReservationMb),
        cpus: z.number().min(0.01).max(64).default(defaultTenantResources.cpus),
        cpuReservation: z.number().min(0.01).max(64).default(defaultTenantResources.cpuReservation),
        pids: z.number().int().min(32).max(32_768).default(defaultTenantResources.pids),
        /** Its data (the volume at /data), as a per-uid XFS quota; files are bounded with it. */
        diskMb: z
            .number()
            .int()
            .min(tenantDiskMbRange.min)
            .max(tenantDiskMbRange.max)
            .default(defaultTenantResources.diskMb),
    })
    .superRefine((r, ctx) => {
        if (r.memoryReservationMb > r.memoryMb) {
            ctx.addIssue({
                code: "custom",
                path: ["memoryReservationMb"],
                message: `is ${r.memoryReservationMb} MB, above memoryMb (${r.memoryMb} MB); lower it or raise memoryMb`,
            });
        }
        if (!cpusSurviveReadBack(r.cpus)) {
            ctx.addIssue({
                code: "custom",
                path: ["cpus"],
                message: `is ${r.cpus}, which the Docker provider reads back as ${declaredCpus(r.cpus)}, another limit: every pulumi up would replace the container; choose a value it keeps, such as 0.1 or 0.15`,
            });
        }
        if (r.cpuReservation > r.cpus) {
            ctx.addIssue({
                code: "custom",
                path: ["cpuReservation"],
                message: `is ${r.cpuReservation}, above cpus (${r.cpus}); lower it or raise cpus`,
            });
        }
    });

/** Docker label keys; `com.zeptoclaw.` is ours and cannot be overridden. */
const labelKey = z
    .string()
    .regex(/^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$/, {
        error: "a label key has lowercase letters, digits, '.', '_', '-' and '/' only",
    })
    .refine((key) => !key.startsWith("com.zeptoclaw."), {
        error: "labels under com.zeptoclaw. are set by zeptoclaw-fleet; choose another key",
    });

export const tenantFileSchema = z.strictObject({
    name: z.string().regex(tenantNamePattern, {
        error: "a tenant name is 1 to 40 lowercase letters, digits and '-', not starting or ending with '-'",
    }),
    stacks: z
        .array(z.string().regex(stackNamePattern, { error: "not a valid stack name" }))
        .min(1, { error: "list at least one stack this tenant runs in, e.g. [dev, prod]" }),
    uid: z.number().int().min(tenantUidRange.min).max(tenantUidRange.max).optional(),
    zeptoclaw: zeptoclawSchema,
    resources: resourcesSchema.prefault({}),
    labels: z.record(labelKey, z.string().max(512)).default({}),
    /**
     * The Docker volume holding the tenant's data. Default `<name>-data`; set it to adopt an
     * existing volume, such as the seed's compose volume `<project>_<name>-data`.
     */
    volume: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{1,127}$/, {
            error: "is a Docker volume name (letters, digits, '_', '.', '-')",
        })
        .optional(),
    /**
     * Its upgrade ring, one the stack's imageRings lists (checked per stack, in
     * loadFleetConfig): `npm run upgrade` moves one ring at a time to a new version.
     */
    ring: z
        .string()
        .regex(ringNamePattern, {
            error: "is a ring name (lowercase letters, digits and '-') such as canary, early or main",
        })
        .default(defaultRing),
});

export type TenantFile = z.infer<typeof tenantFileSchema>;
export type ZeptoClawSettings = TenantFile["zeptoclaw"];
export type TenantResources = TenantFile["resources"];
