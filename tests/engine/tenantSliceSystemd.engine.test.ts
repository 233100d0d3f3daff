import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { renderTenantSlice, tenantCgroupPath, tenantSliceName } from "../../lib/docker/tenantSlice";
import { bootDebianVm, vmResults } from "./support/debianVm";

/*
 * A tenant's slice under a real systemd, as on a Hetzner host (Debian 12: systemd 252, cgroup v2).
 * This machine runs no systemd and mounts cgroup v1, so the other engine suites make the slice's
 * cgroup themselves (support/tenantSlices.ts). Here Debian's kernel boots in qemu with this
 * machine's systemd as PID 1 and the program's rendered slice unit, and shows:
 * - the unit's TasksMax becomes the pids.max of the cgroup the program names for the tenant
 *   (lib/docker/tenantSlice.ts tenantCgroupPath), and the kernel refuses forks beyond it;
 * - a changed unit followed by `systemctl daemon-reload`, which the configure step runs whenever a
 *   host file changed (lib/host/configureHost.ts), re-applies the new limit to the running slice,
 *   with no restart of what runs in it.
 */

jest.setTimeout(10 * 60_000);

const tenant = "slice-probe";
const slice = tenantSliceName(tenant);
const before = 16;
const after = 32;
const work = fs.mkdtempSync(path.join(os.tmpdir(), `zc-slice-${process.pid}-`));

afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
});

/**
 * PID 1 until systemd: /run holds the scenario as systemd's only unit (no default dependencies,
 * so nothing of this machine's boot starts) and masks every generator, which would otherwise
 * re-run at each daemon-reload and read this machine's configuration.
 */
function vmInit(scenario: string): string {
    return `#!/bin/sh
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mkdir -p /run/systemd/system /run/systemd/system-generators
for g in /lib/systemd/system-generators/* /usr/lib/systemd/system-generators/*; do
    [ -e "$g" ] && ln -sf /dev/null "/run/systemd/system-generators/\${g##*/}"
done
cat >/run/systemd/system/fleet-scenario.service <<'UNIT'
[Unit]
DefaultDependencies=no
SuccessAction=poweroff-force
FailureAction=poweroff-force
[Service]
Type=oneshot
ExecStart=${scenario}
UNIT
exec /lib/systemd/systemd --unit=fleet-scenario.service
`;
}

/** The scenario, run by systemd. It records each outcome as key=value for the test to judge. */
function vmScenario(dir: string): string {
    const unit = `/run/systemd/system/${slice}`;
    const cgroup = `/sys/fs/cgroup${tenantCgroupPath(tenant)}`;
    const inSlice = `systemd-run --slice=${slice} -p DefaultDependencies=no`;
    return `#!/bin/bash
out=${dir}/out
mount -t 9p -o trans=virtio,version=9p2000.L out "$out"
exec 2>"$out/scenario.err"
record() { echo "$1=$2" >>"$out/results"; }
# Forks children that sleep until it cannot, then reports how many it made and why it stopped.
forks() {
    # A oneshot: systemd-run returns when it has ended (--wait would need D-Bus, which is not running).
    ${inSlice} --unit="fleet-fork-$1" -p Type=oneshot -p StandardOutput=file:"$out/fork-$1.out" \\
        python3 -c '
import errno, os, signal, time
children = []
try:
    while len(children) < 200:
        pid = os.fork()
        if pid == 0:
            time.sleep(600)
            os._exit(0)
        children.append(pid)
    print(len(children), "none")
except OSError as e:
    print(len(children), errno.errorcode.get(e.errno, e.errno))
for pid in children:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
' >/dev/null
    read -r n why <"$out/fork-$1.out"
    record "fork_$1_children" "$n"
    record "fork_$1_stopped_by" "$why"
}

record cgroup_fs "$(stat -fc %T /sys/fs/cgroup)"
record systemd "$(systemctl --version | head -n 1)"

base64 -d >${unit} <<'EOF'
${Buffer.from(renderTenantSlice({ name: tenant, resources: { pids: before } })).toString("base64")}
EOF
systemctl daemon-reload
${inSlice} --unit=fleet-resident sleep 600 >/dev/null
record resident_pid_1 "$(systemctl show -P MainPID fleet-resident.service)"
record pids_max_1 "$(cat ${cgroup}/pids.max)"
forks 1

base64 -d >${unit} <<'EOF'
${Buffer.from(renderTenantSlice({ name: tenant, resources: { pids: after } })).toString("base64")}
EOF
systemctl daemon-reload
record pids_max_2 "$(cat ${cgroup}/pids.max)"
record tasks_max_2 "$(systemctl show -P TasksMax ${slice})"
record resident_pid_2 "$(systemctl show -P MainPID fleet-resident.service)"
record resident_state_2 "$(systemctl is-active fleet-resident.service)"
forks 2
record done 1
`;
}

describe("a tenant's slice under systemd", () => {
    test("TasksMax is the kernel's pids limit of the tenant's cgroup, and a changed unit is re-applied by daemon-reload without a restart", () => {
        const dir = path.join(work, "vm");
        const out = path.join(dir, "out");
        fs.mkdirSync(out, { recursive: true });
        const scenario = path.join(dir, "scenario.sh");
        fs.writeFileSync(scenario, vmScenario(dir), { mode: 0o755 });
        const init = path.join(dir, "init.sh");
        fs.writeFileSync(init, vmInit(scenario), { mode: 0o755 });
        const consoleLog = path.join(work, "vm-console.log");

        const started = Date.now();
        const boot = bootDebianVm({ init, out, consoleLog });
        const results = vmResults(path.join(out, "results"), boot, consoleLog);
        console.log(
            `slice scenario under systemd: ${((Date.now() - started) / 1000).toFixed(1)} s, ${results.systemd}`,
        );

        expect({ boot: boot.status, done: results.done }).toEqual({ boot: 0, done: "1" });
        expect(results.cgroup_fs).toBe("cgroup2fs");
        // Debian 12's systemd, which Hetzner's debian-12 image runs too.
        expect(results.systemd).toMatch(/^systemd 252 \(/);

        expect(results.pids_max_1).toBe(String(before));
        // The resident sleep and python itself hold two of the slice's tasks: the children stop
        // exactly at the limit (root has no RLIMIT_NPROC to stop them earlier).
        expect(results.fork_1_stopped_by).toBe("EAGAIN");
        expect(Number(results.fork_1_children)).toBe(before - 2);

        expect({ pidsMax: results.pids_max_2, tasksMax: results.tasks_max_2 }).toEqual({
            pidsMax: String(after),
            tasksMax: String(after),
        });
        expect(results.resident_state_2).toBe("active");
        expect(results.resident_pid_2).toBe(results.resident_pid_1);
        expect(results.fork_2_stopped_by).toBe("EAGAIN");
        expect(Number(results.fork_2_children)).toBe(after - 2);
    });
});
