import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Debian's kernel and an initramfs that mounts this machine's root read-only over 9p (tag
 * `host`) and hands over to the program named by `fleet.init=`; step 6 of scripts/engine/setup.sh
 * makes them. For what this machine's own kernel cannot show (XFS quotas, a systemd on cgroup v2).
 */
export const debianVmDir = "/var/cache/zeptoclaw-fleet/quota-vm";

export interface DebianVmBoot {
    /** The first program the machine runs, as PID 1: a path on this machine. */
    init: string;
    /** A folder of this machine the guest may write to, shared with the tag `out`. */
    out: string;
    /** Where the guest's serial console is written. */
    consoleLog: string;
    /** Raw disk images, attached as virtio disks (/dev/vda, …). */
    disks?: string[];
}

/**
 * Boots the machine and waits until it powers off, or kills it after 300 s. TCG translates every guest instruction: the
 * guest runs on qemu's CPU model, whatever this machine's CPU is, and needs no KVM.
 * Returns qemu's exit status (124 when the timeout killed it) and its standard error.
 */
export function bootDebianVm(boot: DebianVmBoot): { status: number | null; stderr: string } {
    for (const file of ["vmlinuz", "initramfs.cpio"]) {
        if (!fs.existsSync(path.join(debianVmDir, file))) {
            throw new Error(
                `${debianVmDir}/${file} is missing: run \`npm run engine:setup\` (as root) first`,
            );
        }
    }
    const share = (tag: string, folder: string, readonly: boolean) =>
        `local,path=${folder},mount_tag=${tag},security_model=passthrough,multidevs=remap` +
        (readonly ? ",readonly=on" : "");
    const run = spawnSync(
        "timeout",
        [
            "--kill-after=10",
            "300",
            "qemu-system-x86_64",
            ...["-accel", "tcg", "-machine", "q35", "-cpu", "qemu64", "-m", "512"],
            ...["-nodefaults", "-no-user-config", "-display", "none", "-no-reboot"],
            ...["-serial", `file:${boot.consoleLog}`],
            ...[
                "-kernel",
                path.join(debianVmDir, "vmlinuz"),
                "-initrd",
                path.join(debianVmDir, "initramfs.cpio"),
            ],
            ...["-append", `console=ttyS0 panic=-1 fleet.init=${boot.init}`],
            ...["-virtfs", share("host", "/", true), "-virtfs", share("out", boot.out, false)],
            ...(boot.disks ?? []).flatMap((disk) => ["-drive", `file=${disk},format=raw,if=virtio`]),
        ],
        { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    return { status: run.status, stderr: run.stderr };
}

/** The guest's `key=value` records, or an error with its console when it recorded none. */
export function vmResults(
    resultsFile: string,
    boot: { status: number | null; stderr: string },
    consoleLog: string,
): Record<string, string> {
    if (!fs.existsSync(resultsFile)) {
        throw new Error(
            `the virtual machine recorded no results (exit ${boot.status}): ${boot.stderr}\n` +
                `its console:\n${fs.existsSync(consoleLog) ? fs.readFileSync(consoleLog, "utf8") : "(none)"}`,
        );
    }
    return Object.fromEntries(
        fs
            .readFileSync(resultsFile, "utf8")
            .trim()
            .split("\n")
            .map((l) => l.split("=", 2) as [string, string]),
    );
}
