/**
 * How the host's engine places containers in cgroups. Docker 20.10 takes the systemd driver on a
 * cgroup v2 host run by systemd (Debian 12, the Hetzner hosts) unless told otherwise, and
 * cgroupfs elsewhere (moby v20.10.24, daemon/daemon_unix.go `UsingSystemd`).
 */
export type CgroupDriver = "systemd" | "cgroupfs";

/** What a slice needs of a tenant. */
export interface SliceTenant {
    name: string;
    resources: { pids: number };
}

/** The slice that holds every tenant's own slice. */
export const fleetSlice = "zcfleet.slice";

/**
 * The systemd slice of one tenant, `zcfleet-<name>.slice`. systemd reads each '-' of a slice name
 * as a level (`a-b.slice` lies in `a.slice`), so the '-' of a tenant name becomes '_', which tenant
 * names never contain: `e2e-a` and `e2e` stay siblings, never parent and child.
 */
export function tenantSliceName(tenant: string): string {
    return `zcfleet-${tenant.replace(/-/g, "_")}.slice`;
}

/**
 * The tenant's cgroup below the cgroup root, as systemd lays out its slice:
 * `/zcfleet.slice/zcfleet-<name>.slice`.
 */
export function tenantCgroupPath(tenant: string): string {
    return `/${fleetSlice}/${tenantSliceName(tenant)}`;
}

/**
 * The container's `cgroupParent`, in the form the driver wants. systemd: the slice name, which
 * Docker requires to end in `.slice` (daemon/daemon_unix.go `verifyPlatformContainerSettings`) and
 * puts the container's scope in. cgroupfs: the absolute path, which Docker joins with the
 * container id (daemon/oci_linux.go). Either way the container lands in the same cgroup.
 */
export function tenantCgroupParent(tenant: string, driver: CgroupDriver): string {
    return driver === "systemd" ? tenantSliceName(tenant) : tenantCgroupPath(tenant);
}

/**
 * The tenant's slice unit: `TasksMax` is the pids controller's `pids.max` of the slice, which
 * counts every task of every container placed in it, root's included. The unit file outlives the
 * containers, so a re-created container lands under the same limit; systemd realizes the slice,
 * with its limit, as Docker starts the container's scope in it.
 */
export function renderTenantSlice(tenant: SliceTenant): string {
    return `# Written by zeptoclaw-fleet: the process limit of tenant ${tenant.name}.
[Unit]
Description=zeptoclaw-fleet tenant ${tenant.name}

[Slice]
TasksMax=${tenant.resources.pids}
`;
}

/** The slice unit files of a host's tenants, as host files under /etc/systemd/system. */
export function tenantSliceFiles(
    tenants: ReadonlyArray<SliceTenant>,
): { path: string; mode: "0644"; content: string }[] {
    return tenants.map((t) => ({
        path: `/etc/systemd/system/${tenantSliceName(t.name)}`,
        mode: "0644",
        content: renderTenantSlice(t),
    }));
}
