import { dataMountPoint } from "./dataVolume";
import { Tenant } from "../tenants/tenant";
import { tenantDiskMbRange, tenantNamePattern, tenantUidRange } from "../tenants/tenantSchema";

/** One tenant's disk limits, as the quota script applies them. */
export interface TenantQuota {
    /** The tenant's name, for messages. */
    tenant: string;
    /** The uid its gateway runs as and its files belong to (lib/tenants/tenantUid.ts). */
    uid: number;
    /** `resources.diskMb`: blocks, in MiB. */
    diskMb: number;
}

/**
 * Files (inodes) a tenant may have per MB of its disk limit. XFS allocates inodes from free space
 * without charging them to the block quota (512 bytes each), so a tenant creating empty files
 * would otherwise eat the volume unbounded. One per 8 KB keeps that uncharged space at 1/16 of the
 * block limit, and still allows 131 072 files in the default 1 GB, far more than ZeptoClaw's
 * sessions, memory and workspace need. Derived rather than a second setting: one number to
 * size, and no pair of limits that can disagree.
 */
export const filesPerDiskMb = 128;

/**
 * The file (inode) limit that goes with a disk limit.
 * @param diskMb the tenant's `resources.diskMb`
 */
export function tenantFileLimit(diskMb: number): number {
    return diskMb * filesPerDiskMb;
}

/**
 * The quotas of the tenants of one host.
 * @param tenants the host's tenants, as the program declares them
 */
export function tenantQuotas(tenants: ReadonlyArray<Tenant>): TenantQuota[] {
    return tenants.map((t) => ({ tenant: t.name, uid: t.uid, diskMb: t.resources.diskMb }));
}

/** Refuses what would make a broken or dangerous script, before anything runs on a host. */
function checkedQuotas(mountpoint: string, quotas: ReadonlyArray<TenantQuota>): TenantQuota[] {
    // Absolute and plain: it is written into the script unquoted-safe and compared with
    // /proc/self/mounts, which escapes spaces and other special characters.
    if (!/^\/[A-Za-z0-9._/-]*[A-Za-z0-9._-]$/.test(mountpoint) || mountpoint.split("/").includes("..")) {
        throw new Error(`the tenant data mount point "${mountpoint}" is not a plain absolute path`);
    }
    const uids = new Map<number, string>();
    for (const q of quotas) {
        if (!tenantNamePattern.test(q.tenant)) {
            throw new Error(`"${q.tenant}" is not a tenant name`);
        }
        // Never a limit on root (dockerd writes its volume metadata there) or on a person's uid.
        if (!Number.isInteger(q.uid) || q.uid < tenantUidRange.min || q.uid > tenantUidRange.max) {
            throw new Error(
                `tenant ${q.tenant}: uid ${q.uid} is outside the tenant uid range ${tenantUidRange.min}-${tenantUidRange.max}`,
            );
        }
        if (
            !Number.isInteger(q.diskMb) ||
            q.diskMb < tenantDiskMbRange.min ||
            q.diskMb > tenantDiskMbRange.max
        ) {
            throw new Error(
                `tenant ${q.tenant}: diskMb ${q.diskMb} is not a whole number from ${tenantDiskMbRange.min} to ${tenantDiskMbRange.max}`,
            );
        }
        const other = uids.get(q.uid);
        if (other !== undefined) {
            throw new Error(`tenants ${other} and ${q.tenant} share uid ${q.uid}: their limits would be one`);
        }
        uids.set(q.uid, q.tenant);
    }
    return [...quotas].sort((a, b) => a.tenant.localeCompare(b.tenant));
}

/**
 * The host script that gives every tenant its disk limits: an XFS user quota on its uid, on the
 * file system that holds the tenants' volumes. Blocks up to `diskMb` MiB, files up to
 * `tenantFileLimit(diskMb)`. A tenant at its limit gets EDQUOT ("Disk quota exceeded") on its
 * own writes; other tenants, root, dockerd and the OS keep writing to the space left.
 *
 * Contract, for whoever runs it (as root, `sh`, after the file system is mounted and before or
 * after the tenants' containers start; every `pulumi up` whose tenant list changed):
 * - It first checks that `mountpoint` is a mount point, of XFS, mounted with enforced user
 *   quotas (`-o uquota`). If not, it sets nothing, prints why on stderr and exits 1: tenants
 *   would run unbounded. It also exits 1 when xfs_quota is missing or a limit does not read back.
 * - It sets the limits of every tenant listed, then reads every one back. Exit 0 means each
 *   listed uid has exactly these limits. It is idempotent; its text is the same for the same
 *   tenants in any order, so it can serve as the trigger of the step that runs it.
 * - It never lowers or clears another uid's limits. A tenant removed from the list keeps its
 *   volume, and with it its limit: clearing it would unbound data that stays, for no gain.
 * - Soft limits equal hard limits: with a lower soft limit, XFS would turn the soft one into the
 *   wall after its grace time (7 days), a limit nobody chose.
 * - Lowering a limit below a tenant's usage deletes nothing: its further writes fail.
 * - XFS keeps the limits on the file system, across remounts and reboots: nothing runs at boot.
 *
 * @param mountpoint where the tenants' volumes live; in production the data volume mounted at
 *   /var/lib/docker/volumes (`-o uquota`)
 * @param quotas the host's tenants (tenantQuotas); an empty list only checks the mount
 * @throws on a mount point that is not a plain absolute path, a uid outside the tenant range,
 *   two tenants with one uid, or a limit out of range
 */
export function renderTenantQuotaScript(mountpoint: string, quotas: ReadonlyArray<TenantQuota>): string {
    const rows = checkedQuotas(mountpoint, quotas).map(
        (q) => `${q.tenant} ${q.uid} ${q.diskMb} ${tenantFileLimit(q.diskMb)}`,
    );
    return `#!/bin/sh
# Written by zeptoclaw-fleet: each tenant's disk limits, as XFS user quotas on its uid.
set -eu

mnt=${mountpoint}
# tenant, uid, MiB, files
limits='${rows.join("\n")}'

fail() {
    echo "zeptoclaw-fleet tenant quotas: $*" >&2
    exit 1
}

# The last entry for the mount point is the file system on top: the one tenants write to.
mounted=$(awk -v m="$mnt" '$2 == m { fs = $3 " " $4 } END { print fs }' /proc/self/mounts)
[ -n "$mounted" ] ||
    fail "$mnt is not a mount point: tenant data would sit on the root file system, unbounded; no limit was set"
fstype=\${mounted%% *}
options=\${mounted#* }
[ "$fstype" = xfs ] || fail "$mnt is $fstype, not XFS; no limit was set"
case ",$options," in
*,usrquota,*) ;;
*) fail "$mnt is mounted without enforced user quotas ($options): mount it with -o uquota (XFS cannot turn them on by remount); no limit was set" ;;
esac
command -v xfs_quota >/dev/null || fail "xfs_quota not found (Debian package xfsprogs); no limit was set"
xfs_quota -x -c 'state -u' "$mnt" | grep -q 'Enforcement: ON' ||
    fail "user quotas are not enforced on $mnt; no limit was set"

printf '%s\\n' "$limits" | while read -r tenant uid mb files; do
    [ -n "$tenant" ] || continue
    xfs_quota -x -c "limit -u bsoft=\${mb}m bhard=\${mb}m isoft=$files ihard=$files $uid" "$mnt" ||
        fail "could not set the limits of tenant $tenant (uid $uid) on $mnt"
done

# Read every limit back (reports are in KiB): xfs_quota has not always exited non-zero on a
# failed command.
wrong=$(
    {
        xfs_quota -x -c 'report -u -n -N -b' "$mnt" | sed 's/^/B /'
        xfs_quota -x -c 'report -u -n -N -i' "$mnt" | sed 's/^/I /'
        printf '%s\\n' "$limits" | sed 's/^/L /'
    } | awk '
        $1 == "B" { bsoft[$2] = $4; bhard[$2] = $5 }
        $1 == "I" { isoft[$2] = $4; ihard[$2] = $5 }
        $1 == "L" && NF == 5 {
            id = "#" $3
            if (bsoft[id] != $4 * 1024 || bhard[id] != $4 * 1024 || isoft[id] != $5 || ihard[id] != $5) {
                printf " %s (uid %s)", $2, $3
            }
        }'
)
[ -z "$wrong" ] || fail "these tenants' limits on $mnt did not read back as set:$wrong"
echo "zeptoclaw-fleet tenant quotas: ${rows.length} tenant(s) limited on $mnt"
`;
}

/**
 * The quota script as a step of the configure script (lib/host/configureHost.ts): run with `sh`
 * from a quoted here-document, against the data Volume's mount point.
 * @param tenants the host's tenants, as the program declares them
 */
export function runTenantQuotas(tenants: ReadonlyArray<Tenant>): string {
    return `sh -s <<'ZEPTOCLAW_FLEET_QUOTAS'\n${renderTenantQuotaScript(dataMountPoint, tenantQuotas(tenants))}ZEPTOCLAW_FLEET_QUOTAS\n`;
}
