import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    SliceTenant,
    fleetSlice,
    renderTenantSlice,
    tenantCgroupPath,
} from "../../../lib/docker/tenantSlice";

/** The pids controller's hierarchy of this machine's cgroup v1 (the engine uses cgroupfs there). */
export const pidsRoot = "/sys/fs/cgroup/pids";

/** A cgroup v1 hierarchy of each controller, where the engine also makes the slices' folders. */
function hierarchies(): string[] {
    return fs
        .readdirSync("/sys/fs/cgroup", { withFileTypes: true })
        .filter((e) => e.isDirectory() && !e.isSymbolicLink())
        .map((e) => path.join("/sys/fs/cgroup", e.name));
}

/**
 * What systemd does for a fleet host's slice units, on this machine, which has no systemd: the
 * slice's cgroup, with `pids.max` from the unit's TasksMax, before Docker puts a container in it.
 * The limit comes from the rendered unit, so the test holds the program's file to its effect.
 * tests/engine/tenantSliceSystemd.engine.test.ts shows a real systemd doing the same.
 */
export function realizeTenantSlices(tenants: ReadonlyArray<SliceTenant>): void {
    if (!fs.existsSync(path.join(pidsRoot, "pids.max")) && !fs.existsSync(path.join(pidsRoot, "tasks"))) {
        throw new Error(
            `${pidsRoot} is not a cgroup v1 pids hierarchy: this support realizes slices only there`,
        );
    }
    for (const tenant of tenants) {
        const tasksMax = /^TasksMax=(\d+)$/m.exec(renderTenantSlice(tenant))?.[1];
        if (tasksMax === undefined) {
            throw new Error(`the slice of ${tenant.name} sets no TasksMax`);
        }
        const dir = path.join(pidsRoot, tenantCgroupPath(tenant.name));
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, "pids.max"), tasksMax);
    }
}

/** Removes the slices' cgroups in every hierarchy (Docker removes only the containers' own). */
export function removeTenantSlices(): void {
    for (const hierarchy of hierarchies()) {
        const fleet = path.join(hierarchy, fleetSlice);
        if (!fs.existsSync(fleet)) {
            continue;
        }
        for (const slice of fs.readdirSync(fleet, { withFileTypes: true }).filter((e) => e.isDirectory())) {
            fs.rmdirSync(path.join(fleet, slice.name));
        }
        fs.rmdirSync(fleet);
    }
}

/** A file of a tenant's slice in the pids hierarchy, e.g. pids.max or pids.events. */
export function sliceFile(tenant: string, file: string): string {
    return fs.readFileSync(path.join(pidsRoot, tenantCgroupPath(tenant), file), "utf8").trim();
}

/** The cgroup of a process in the pids hierarchy, from /proc/<pid>/cgroup. */
export function pidsCgroupOf(pid: number): string {
    const line = fs
        .readFileSync(`/proc/${pid}/cgroup`, "utf8")
        .split("\n")
        .find((l) => l.split(":")[1]?.split(",").includes("pids"));
    if (line === undefined) {
        throw new Error(`process ${pid} is in no pids cgroup`);
    }
    return line.split(":").slice(2).join(":");
}

/**
 * Whether the kernel's pids controller refused a fork in this cgroup: the kernel logs the first
 * refusal of each cgroup, naming it (kernel/cgroup/pids.c `pids_event`). The log outlives the
 * cgroup, which Docker re-creates when it restarts the container, resetting its pids.events.
 */
export function pidsControllerRefusedForkIn(cgroup: string): boolean {
    return execFileSync("dmesg", { encoding: "utf8" })
        .split("\n")
        .some((line) => line.endsWith(`fork rejected by pids controller in ${cgroup}`));
}
