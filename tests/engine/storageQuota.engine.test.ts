import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { renderTenantQuotaScript, tenantFileLimit, TenantQuota } from "../../lib/host/tenantQuota";
import { derivedTenantUid } from "../../lib/tenants/tenantUid";
import { runProgram } from "../support/runProgram";
import { runnableSecretsFor, runnableSettings, tenantYaml } from "../support/tenantFiles";
import { EngineAdapter, removeLabelled, testLabel } from "./support/engineAdapter";
import { bootDebianVm, vmResults } from "./support/debianVm";
import { eventually, execIn } from "./support/engineHelpers";

/*
 * Bounded storage: a tenant that writes without bound hits its own limit; the other tenants,
 * the Docker engine and the OS keep working. Two halves, because this machine kind's kernel is
 * built without XFS quota support (CONFIG_XFS_QUOTA, and no other file system has user quotas
 * either), so no file system here can enforce the limits the quota script sets:
 * - the quotas themselves: the rendered script, the stand-in filling its disk as its tenant's
 *   uid, a neighbour and root, on a small XFS file system with `-o uquota`, in Debian's kernel
 *   (built with XFS quotas) booted by qemu on an emulated CPU, whatever this machine's CPU,
 *   on this machine's files (see step 6 of scripts/engine/setup.sh);
 * - the real engine: the stand-in filling its volume through Docker, on a small XFS file system
 *   of its own, whose end is the wall here. Every byte it wrote is its uid's (what a user quota
 *   counts), it and its neighbour stay up, the engine answers, and the quota script refuses a
 *   file system mounted without user quotas.
 * Both make their file systems in sparse files under a temporary folder: the machine's own file
 * systems are never filled.
 */

jest.setTimeout(10 * 60_000);

const MiB = 1024 * 1024;
const workPrefix = path.join(os.tmpdir(), "zc-quota-");

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const runId = `quota-${process.pid}`;
const adapter = new EngineAdapter(docker, runId);
const work = fs.mkdtempSync(`${workPrefix}${process.pid}-`);
// The tenants' uids must pass through it to reach their homes.
fs.chmodSync(work, 0o711);
// The stand-in runs as the tenants' uids, which may not be able to read the checkout (a clone in a
// private temporary folder, say): they run a readable copy in the suite's own folder.
const standin = path.join(work, "zeptoclaw-standin");
fs.copyFileSync(path.resolve(__dirname, "../fixtures/zeptoclaw-standin/zeptoclaw"), standin);
fs.chmodSync(standin, 0o755);

const fill = { name: "quota-fill", uid: derivedTenantUid("quota-fill") };
const calm = { name: "quota-calm", uid: derivedTenantUid("quota-calm") };
/** The smallest limit a tenant file accepts. */
const diskMb = 64;
const quotas: TenantQuota[] = [
    { tenant: fill.name, uid: fill.uid, diskMb },
    { tenant: calm.name, uid: calm.uid, diskMb },
];

function run(file: string, args: string[]): string {
    return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** A fresh XFS file system in a file (XFS wants at least 300 MB; the file is sparse). */
function makeXfsImage(file: string, sizeMb: number): void {
    fs.writeFileSync(file, "");
    fs.truncateSync(file, sizeMb * MiB);
    run("mkfs.xfs", ["-q", file]);
}

/** The mount points under this suite's temporary folders, deepest first. */
function suiteMounts(): string[] {
    return fs
        .readFileSync("/proc/self/mounts", "utf8")
        .split("\n")
        .map((line) => line.split(" ")[1])
        .filter((m): m is string => m !== undefined && m.startsWith(workPrefix))
        .sort()
        .reverse();
}

/** Unmounts a loop mount of this suite and detaches its loop device if the kernel kept it. */
function unmountLoop(mountpoint: string, image: string): void {
    if (suiteMounts().includes(mountpoint)) {
        run("umount", [mountpoint]);
    }
    for (const line of run("losetup", ["-j", image]).split("\n")) {
        const device = line.split(":")[0];
        if (device.startsWith("/dev/loop")) {
            run("losetup", ["-d", device]);
        }
    }
}

/** Whether the process that owns a run id or a folder of this suite has ended. */
function ended(owner: string | undefined): boolean {
    const pid = /^(?:quota-|zc-quota-)(\d+)(?:-|$)/.exec(owner ?? "")?.[1];
    if (pid === undefined || Number(pid) === process.pid) {
        return false;
    }
    try {
        process.kill(Number(pid), 0);
        return false;
    } catch {
        return true;
    }
}

/** What an aborted earlier run of this suite left (its process gone): objects, mounts, folders. */
async function removeOwnLeftovers(): Promise<void> {
    const filters = { label: [testLabel] };
    const values = new Set<string>();
    for (const c of await docker.listContainers({ all: true, filters })) {
        values.add(c.Labels[testLabel]);
    }
    for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) {
        values.add(v.Labels?.[testLabel] ?? "");
    }
    for (const value of values) {
        if (value.startsWith("quota-") && ended(value)) {
            await removeLabelled(docker, value);
        }
    }
    for (const folder of fs.readdirSync(os.tmpdir())) {
        if (!ended(folder)) {
            continue;
        }
        const dir = path.join(os.tmpdir(), folder);
        for (const mountpoint of suiteMounts().filter((m) => m.startsWith(`${dir}/`))) {
            run("umount", ["--lazy", mountpoint]);
        }
        unmountLoop(path.join(dir, "volumes"), path.join(dir, "engine.img"));
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

beforeAll(async () => {
    await docker.ping();
    await removeOwnLeftovers();
});

afterAll(async () => {
    // Only this run's objects: other suites may be using the engine.
    await adapter.removeEverything();
    unmountLoop(path.join(work, "volumes"), path.join(work, "engine.img"));
    fs.rmSync(work, { recursive: true, force: true });
});

/**
 * The scenario, as PID 1 of the virtual machine. It never stops on a failed step: it records
 * each outcome as key=value in out/results for the test to judge, then powers the machine off.
 */
function vmScenario(dir: string): string {
    return `#!/bin/sh
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
mnt=${dir}/mnt
out=${dir}/out

record() { echo "$1=$2" >>"$out/results"; }
report() { xfs_quota -x -c "report -u -n -N -$1" "$mnt"; }
# blocks used, and the hard limit, in KiB
used_kib() { report b | awk -v id="#$1" '$1 == id { print $2 }'; }
hard_kib() { report b | awk -v id="#$1" '$1 == id { print $4 }'; }
as_uid() {
    uid=$1
    shift
    setpriv --reuid="$uid" --regid="$uid" --clear-groups "$@"
}
health() {
    python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).status)' \\
        "http://127.0.0.1:$1/healthz" 2>/dev/null || echo down
}
# A tenant's /data as the data owner leaves it (lib/docker/dataOwner.ts), and its config.
home() {
    install -d -o 0 -g "$2" -m 1770 "$mnt/$1" "$mnt/$1/.zeptoclaw"
    install -o 0 -g 0 -m 0644 "${dir}/$1.json" "$mnt/$1/.zeptoclaw/config.json"
}
gateway() {
    as_uid "$2" env -i PATH="$PATH" HOME="$mnt/$1" ZEPTOCLAW_HEALTH_PORT="$3" \\
        python3 ${standin} gateway >"$out/$1.log" 2>&1 &
}

scenario() {
    ip link set lo up

    # Mounted without user quotas, the script refuses and sets nothing.
    mount -o noquota /dev/vda "$mnt"
    sh ${dir}/quota-both.sh >"$out/noquota.out" 2>"$out/noquota.err"
    record noquota_rc $?
    umount "$mnt"

    mount -o uquota /dev/vda "$mnt"
    record mount_rc $?
    home ${fill.name} ${fill.uid}
    home ${calm.name} ${calm.uid}
    sh ${dir}/quota-both.sh >"$out/apply1.out" 2>&1
    record apply1_rc $?
    sh ${dir}/quota-both.sh >"$out/apply2.out" 2>&1
    record apply2_rc $?
    report b >"$out/report-limits.txt"

    gateway ${calm.name} ${calm.uid} 19092
    calm_pid=$!
    gateway ${fill.name} ${fill.uid} 19091
    fill_pid=$!
    started=$(date +%s%N)
    i=0
    until grep -q 'fill-disk write failed' "$out/${fill.name}.log"; do
        i=$((i + 1))
        [ $i -lt 600 ] && kill -0 "$fill_pid" || break
        sleep 0.2
    done
    record fill_wait_ms $((($(date +%s%N) - started) / 1000000))
    record fill_used_kib "$(used_kib ${fill.uid})"
    sleep 2
    record fill_used_kib_later "$(used_kib ${fill.uid})"
    record fill_health "$(health 19091)"

    # The neighbour writes 16 MB, stays up and healthy.
    as_uid ${calm.uid} dd if=/dev/zero of="$mnt/${calm.name}/.zeptoclaw/calm.bin" bs=1M count=16 conv=fsync 2>"$out/calm-dd.err"
    record calm_write_rc $?
    record calm_used_kib "$(used_kib ${calm.uid})"
    kill -0 "$calm_pid"
    record calm_alive $?
    record calm_health "$(health 19092)"

    # Its file limit holds too: empty files cost no block quota.
    as_uid ${calm.uid} python3 -c '
import errno, os, sys
os.mkdir(sys.argv[1])
n = 0
try:
    while True:
        open(os.path.join(sys.argv[1], str(n)), "x").close()
        n += 1
except OSError as e:
    print(n, errno.errorcode.get(e.errno, e.errno))
' "$mnt/${calm.name}/files" >"$out/files.out" 2>&1
    rm -rf "$mnt/${calm.name}/files"

    # Root (dockerd, the OS) still writes to the space left.
    dd if=/dev/zero of="$mnt/root.bin" bs=1M count=32 conv=fsync 2>"$out/root-dd.err"
    record root_write_rc $?
    record avail_kib "$(df -k --output=avail "$mnt" | tail -n 1 | tr -d ' ')"

    # A tenant leaving the list keeps its limit (its volume stays).
    sh ${dir}/quota-calm.sh >"$out/calm-only.out" 2>&1
    record calm_only_rc $?
    record fill_hard_kib_after_removal "$(hard_kib ${fill.uid})"
    report b >"$out/report-end.txt"

    kill "$fill_pid" "$calm_pid"
    wait
    umount "$mnt"
    record umount_rc $?
}

# The one host folder this machine writes to; the rest of the host is mounted read-only.
mount -t 9p -o trans=virtio,version=9p2000.L out "$out"
scenario >"$out/scenario.log" 2>&1
record done 1
sync
python3 -c 'import ctypes; ctypes.CDLL(None).reboot(0x4321FEDC)'
`;
}

/** A config the stand-in starts with (as ZeptoClaw 0.9.2 would), logging JSON lines. */
function standinConfig(model: string): string {
    const provider = model.startsWith("standin/") ? "openrouter" : "anthropic";
    return JSON.stringify({
        agents: { defaults: { model } },
        providers: { [provider]: { api_key: "test-key" } },
        logging: { format: "json" },
    });
}

/**
 * The stand-in's "fill-disk write failed" record, from its log: JSON lines when the config's
 * logging.format is json, else ZeptoClaw's default component format (`... message key=value`).
 */
function fillFailure(log: string): { written_bytes: number; seconds: number; errno: string; error: string } {
    const line = log.split("\n").find((l) => l.includes("fill-disk write failed"));
    if (line === undefined) {
        throw new Error(`the filler never hit a wall; its log:\n${log}`);
    }
    if (line.startsWith("{")) {
        return JSON.parse(line).fields;
    }
    const fields = /written_bytes=(\d+) seconds=([\d.]+) errno=(\w+) error=(.*)$/.exec(line);
    if (fields === null) {
        throw new Error(`cannot read the filler's record: ${line}`);
    }
    return {
        written_bytes: Number(fields[1]),
        seconds: Number(fields[2]),
        errno: fields[3],
        error: fields[4],
    };
}

describe("bounded storage", () => {
    test("XFS user quotas set by the rendered script stop a tenant at its limit; its neighbour and root keep writing", () => {
        const dir = path.join(work, "vm");
        const out = path.join(dir, "out");
        fs.mkdirSync(path.join(dir, "mnt"), { recursive: true });
        fs.mkdirSync(out);
        const image = path.join(work, "vm.img");
        makeXfsImage(image, 320);
        fs.writeFileSync(
            path.join(dir, "quota-both.sh"),
            renderTenantQuotaScript(path.join(dir, "mnt"), quotas),
        );
        fs.writeFileSync(
            path.join(dir, "quota-calm.sh"),
            renderTenantQuotaScript(path.join(dir, "mnt"), quotas.slice(1)),
        );
        // A short delay, as a tenant that boots normally and later writes without bound.
        fs.writeFileSync(path.join(dir, `${fill.name}.json`), standinConfig("standin/fill-disk:2"));
        fs.writeFileSync(path.join(dir, `${calm.name}.json`), standinConfig("claude-sonnet-4-6"));
        const init = path.join(dir, "init.sh");
        fs.writeFileSync(init, vmScenario(dir), { mode: 0o755 });

        const consoleLog = path.join(work, "vm-console.log");
        const boot = bootDebianVm({ init, out, consoleLog, disks: [image] });
        const results = vmResults(path.join(out, "results"), boot, consoleLog);
        const read = (name: string) => fs.readFileSync(path.join(out, name), "utf8");
        expect({ boot: boot.status, done: results.done }).toEqual({ boot: 0, done: "1" });

        expect(results.noquota_rc).toBe("1");
        expect(read("noquota.err")).toMatch(/is mounted without enforced user quotas .*; no limit was set/);
        expect(results.mount_rc).toBe("0");
        expect([results.apply1_rc, results.apply2_rc]).toEqual(["0", "0"]);
        expect(read("apply2.out")).toMatch(/2 tenant\(s\) limited on /);

        const limitKib = diskMb * 1024;
        const failure = fillFailure(read(`${fill.name}.log`));
        expect(failure.errno).toBe("EDQUOT");
        expect(failure.error).toMatch(/Disk quota exceeded/);
        // Its other files (the boot record) share the limit: a few KiB.
        expect(failure.written_bytes).toBeLessThanOrEqual(diskMb * MiB);
        expect(failure.written_bytes).toBeGreaterThan((diskMb - 1) * MiB);
        expect(Number(results.fill_used_kib)).toBeLessThanOrEqual(limitKib);
        expect(Number(results.fill_used_kib)).toBeGreaterThan(limitKib - 1024);
        expect(results.fill_used_kib_later).toBe(results.fill_used_kib);
        // The filler itself keeps running: only its writes fail.
        expect(results.fill_health).toBe("200");

        expect(results.calm_write_rc).toBe("0");
        expect(Number(results.calm_used_kib)).toBeGreaterThanOrEqual(16 * 1024);
        expect({ alive: results.calm_alive, health: results.calm_health }).toEqual({
            alive: "0",
            health: "200",
        });
        const [files, filesErrno] = read("files.out").trim().split(" ");
        expect(filesErrno).toBe("EDQUOT");
        expect(Number(files)).toBeLessThanOrEqual(tenantFileLimit(diskMb));
        expect(Number(files)).toBeGreaterThan(tenantFileLimit(diskMb) - 16);

        expect(results.root_write_rc).toBe("0");
        expect(Number(results.avail_kib)).toBeGreaterThan(100 * 1024);
        expect(results.calm_only_rc).toBe("0");
        expect(results.fill_hard_kib_after_removal).toBe(String(limitKib));
        expect(results.umount_rc).toBe("0");

        console.log(
            `quota ${diskMb} MiB: the filler wrote ${failure.written_bytes} bytes in ${failure.seconds} s before ` +
                `${failure.errno}; usage ${results.fill_used_kib} KiB, then ${results.fill_used_kib_later} KiB; ` +
                `neighbour wrote 16 MiB (now ${results.calm_used_kib} KiB) and ${files} files; root wrote 32 MiB, ` +
                `${results.avail_kib} KiB left`,
        );
    });

    test("on the real engine, a tenant filling its volume pays for every byte with its own uid, keeps running, and disturbs neither its neighbour nor the engine", async () => {
        const mnt = path.join(work, "volumes");
        const image = path.join(work, "engine.img");
        const configRoot = path.join(work, "config");
        fs.mkdirSync(mnt);
        fs.mkdirSync(configRoot);
        makeXfsImage(image, 320);
        // Without -o uquota: this machine kind's kernel refuses it (see the top of this file).
        run("mount", ["-o", "loop", image, mnt]);
        // The filler's volume on that file system; the adapter, like `docker volume create`,
        // adopts an existing volume of the declared name.
        fs.mkdirSync(path.join(mnt, fill.name));
        await docker.createVolume({
            Name: `${fill.name}-data`,
            Driver: "local",
            DriverOpts: { type: "none", o: "bind", device: path.join(mnt, fill.name) },
            Labels: { [testLabel]: runId },
        });

        const deployment = await runProgram({
            tenantFiles: {
                [`${fill.name}.yaml`]: tenantYaml(fill.name, {
                    stacks: ["dev"],
                    zeptoclaw: runnableSettings("standin/fill-disk:2"),
                    resources: { diskMb },
                }),
                [`${calm.name}.yaml`]: tenantYaml(calm.name, {
                    stacks: ["dev"],
                    zeptoclaw: runnableSettings(),
                    resources: { diskMb },
                }),
            },
            tenantSecrets: runnableSecretsFor([fill.name, calm.name]),
            config: { configRoot, imageSource: "build", imageContext: "tests/fixtures/zeptoclaw-standin" },
        });
        await adapter.apply(deployment);
        const volume = await docker.getVolume(`${fill.name}-data`).inspect();
        expect(volume.Options?.device).toBe(path.join(mnt, fill.name));
        const inspect = (t: { name: string }) => docker.getContainer(`zc-${t.name}`).inspect();
        const started = {
            fill: (await inspect(fill)).State.StartedAt,
            calm: (await inspect(calm)).State.StartedAt,
        };

        const logs = () => run("docker", ["logs", `zc-${fill.name}`]);
        await eventually("the filler hits the end of its storage", 120_000, () =>
            Promise.resolve(logs().includes("fill-disk write failed")),
        );
        const failure = fillFailure(logs());
        expect(failure.errno).toBe("ENOSPC");
        expect(failure.written_bytes).toBeGreaterThan(200 * MiB);

        // A user quota counts what a uid owns: everything the tenant wrote is its uid's. Root
        // keeps /data, /data/.zeptoclaw (the data owner's) and the empty mount points Docker makes
        // for the config and the MCP shield (/data/.mcp, /data/workspace/.mcp.json).
        const volumeDir = path.join(mnt, fill.name);
        const notTheTenants = run("find", [volumeDir, "!", "-user", String(fill.uid), "-printf", "%y %P\n"]);
        expect(
            notTheTenants
                .split("\n")
                .filter((l) => l !== "")
                .sort(),
        ).toEqual(["d ", "d .mcp", "d .zeptoclaw", "f .zeptoclaw/config.json", "f workspace/.mcp.json"]);
        expect(fs.statSync(path.join(volumeDir, ".zeptoclaw", "config.json")).size).toBe(0);
        const fillFile = fs.statSync(path.join(volumeDir, ".zeptoclaw", "fill.bin"));
        expect({ uid: fillFile.uid, size: fillFile.size }).toEqual({
            uid: fill.uid,
            size: failure.written_bytes,
        });

        // Its other ways to write are bounded too: a read-only root, a 64 MB /tmp.
        const asFill = (cmd: string) =>
            execIn(docker, `zc-${fill.name}`, ["sh", "-c", cmd], `${fill.uid}:${fill.uid}`);
        const root = await asFill("touch /zc-probe");
        expect(root.code).not.toBe(0);
        expect(root.output).toMatch(/Read-only file system/);
        const tmp = await asFill(
            "dd if=/dev/zero of=/tmp/zc-probe bs=1M count=100 2>&1; stat -c %s /tmp/zc-probe",
        );
        expect(tmp.output).toMatch(/No space left on device/);
        expect(Number(tmp.output.trim().split("\n").pop())).toBeLessThanOrEqual(64 * MiB);
        expect((await asFill("rm /tmp/zc-probe")).code).toBe(0);

        // The neighbour writes, both stay up, unrestarted; the engine answers.
        const calmWrite = await execIn(
            docker,
            `zc-${calm.name}`,
            ["dd", "if=/dev/zero", "of=/data/.zeptoclaw/calm.bin", "bs=1M", "count=16", "conv=fsync"],
            `${calm.uid}:${calm.uid}`,
        );
        expect(calmWrite.code).toBe(0);
        for (const [t, startedAt] of [
            [fill, started.fill],
            [calm, started.calm],
        ] as const) {
            const info = await inspect(t);
            expect({
                name: t.name,
                running: info.State.Running,
                restarts: info.RestartCount,
                startedAt,
            }).toEqual({
                name: t.name,
                running: true,
                restarts: 0,
                startedAt: info.State.StartedAt,
            });
            const healthy = await execIn(docker, `zc-${t.name}`, [
                "wget",
                "-qO-",
                "http://127.0.0.1:9090/healthz",
            ]);
            expect(healthy.code).toBe(0);
            expect(JSON.parse(healthy.output)).toMatchObject({ status: "ok", version: "0.9.2" });
        }
        expect((await docker.info()).ServerVersion).toEqual(expect.any(String));

        // And the quota script refuses to pretend on a file system without user quotas.
        const script = path.join(work, "quota-engine.sh");
        fs.writeFileSync(script, renderTenantQuotaScript(mnt, quotas));
        const refused = spawnSync("sh", [script], { encoding: "utf8" });
        expect(refused.status).toBe(1);
        expect(refused.stderr).toMatch(/is mounted without enforced user quotas .*; no limit was set/);

        console.log(
            `engine: the filler wrote ${failure.written_bytes} bytes in ${failure.seconds} s before ${failure.errno} ` +
                `on its 320 MB file system; its neighbour wrote 16 MiB; both healthy, 0 restarts`,
        );
    });
});
