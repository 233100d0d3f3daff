import { createHash } from "node:crypto";
import { tenantUidRange } from "./tenantSchema";

/**
 * The uid a tenant's processes and files run as. Every tenant gets its own uid because a
 * process limit (RLIMIT_NPROC) counts per uid across the whole host: with one shared uid, one
 * tenant's fork bomb would exhaust the limit of all. It derives from the name alone, so adding
 * or removing a tenant never changes another tenant's uid.
 */
export function derivedTenantUid(name: string): number {
    const digest = createHash("sha256").update(`zeptoclaw-fleet/tenant/${name}`).digest();
    const span = tenantUidRange.max - tenantUidRange.min;
    return tenantUidRange.min + (digest.readUInt32BE(0) % span);
}
