/**
 * A debian-13 host's files, as the program renders them for a Hetzner stack, read by Debian 13's
 * own tools: the trixie tree the test engine runs from, which also holds what such a host
 * installs (scripts/engine/setup.sh). The files are laid over the tree in an overlay of the
 * test's own, so the tree stays as it was.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { hostImages } from "../../lib/config/hostImages";
import { decodeConfigureFiles } from "../support/configureFiles";
import { prodBackupSecrets, prodStack } from "../support/prodStack";
import { runProgram } from "../support/runProgram";
import { fleet } from "../support/tenantFiles";
import { tempDir } from "../support/tempDir";

jest.setTimeout(5 * 60_000);

const tree = "/var/cache/zeptoclaw-fleet/debian-13-host";

/**
 * Runs `command` with sh in the trixie tree, `hostFiles` (path on the host, content, mode) laid
 * over it; returns its exit status and what it printed, standard output and error together.
 */
function inDebian13(hostFiles: ReadonlyArray<[string, string, number]>, command: string) {
    const work = tempDir("zc-debian13-");
    for (const dir of ["root", "upper", "work", "merged"]) {
        fs.mkdirSync(path.join(work, dir));
    }
    const root = path.join(work, "root");
    for (const [file, content, mode] of hostFiles) {
        fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), content, { mode });
    }
    // A mount namespace of its own: the overlay and /proc go away with the process.
    const script = [
        "set -e",
        'mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/upper,workdir=$2/work" "$2/merged"',
        'cp -a "$2/root/." "$2/merged/"',
        'mount -t proc proc "$2/merged/proc"',
        'exec chroot "$2/merged" sh -c "$3" 2>&1',
    ].join("\n");
    const result = spawnSync(
        "unshare",
        ["--mount", "sh", "-c", script, "sh", fs.realpathSync(tree), work, command],
        {
            encoding: "utf8",
        },
    );
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

let userData: string;
let files: [string, string, number][];

beforeAll(async () => {
    const run = await runProgram({
        stack: "prod",
        ...fleet(["shop-a", "shop-b"]),
        config: { ...prodStack, serverImage: "debian-13", backupTarget: "storagebox" },
        secretConfig: { ...prodBackupSecrets, alertWebhookUrl: "https://hooks.example.com/T0KEN" },
    });
    userData = run.one("hcloud:index/server:Server", "fsn1-a/server").inputs.userData as string;
    const configure = run.one("command:remote:Command", "fsn1-a/configure").inputs.stdin as string;
    files = Object.entries(decodeConfigureFiles(configure)).map(([file, content]) => [
        file,
        content,
        file.startsWith("/usr/local/sbin/") ? 0o755 : 0o644,
    ]);
});

test("the tree is Debian 13's, with the docker.io the program pins for debian-13 hosts", () => {
    const versions = inDebian13(
        [],
        "dpkg-query -W -f '${Package} ${Version}\\n' docker.io systemd cloud-init",
    );
    expect(versions.status).toBe(0);
    expect(versions.output).toContain(`docker.io ${hostImages["debian-13"].dockerPackageVersion}\n`);
    expect(versions.output).toMatch(/^systemd 257\./m);
});

test("Debian 13's cloud-init accepts the server's user data", () => {
    expect(userData).toMatch(/^#cloud-config\n/);
    const result = inDebian13(
        [["/tmp/user-data", userData, 0o644]],
        "cloud-init schema --config-file /tmp/user-data",
    );
    expect(result).toEqual({ status: 0, output: "Valid schema /tmp/user-data\n" });
});

test("systemd 257 verifies every unit the configure step writes, with nothing to say", () => {
    const units = files
        .map(([file]) => file)
        .filter((f) => /^\/etc\/systemd\/system\/[^/]+\.(service|timer|slice)$/.test(f));
    // The firewall, the PidsLimit service, the watchdog, backups and alerts, and each tenant's slice.
    expect(units.length).toBeGreaterThanOrEqual(9);
    expect(units).toEqual(
        expect.arrayContaining([
            "/etc/systemd/system/zeptoclaw-fleet-pids-limit.service",
            "/etc/systemd/system/zeptoclaw-fleet-backup.timer",
            "/etc/systemd/system/zeptoclaw-fleet-alerts.timer",
            "/etc/systemd/system/zcfleet-shop_a.slice",
        ]),
    );
    // verify exits 0 on a key it ignores, but says so: silence is the pass.
    expect(inDebian13(files, `systemd-analyze verify ${units.join(" ")}`)).toEqual({ status: 0, output: "" });
});

test("Docker 26 validates the daemon.json the host gets", () => {
    expect(files.map(([file]) => file)).toContain("/etc/docker/daemon.json");
    expect(inDebian13(files, "dockerd --validate --config-file /etc/docker/daemon.json")).toEqual({
        status: 0,
        output: "configuration OK\n",
    });
});
