import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { renderBackupEnv, renderBackupScript } from "../../../lib/host/backup";
import { tempDir } from "../../support/tempDir";

const dir = tempDir("zc-backup-args-");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Runs the host's backup tool with a fake `docker` (a tenant container whose volume is a folder
 * here, or none) and a fake `restic` (listing `snapshots` as given), each logging its calls.
 */
function tool(args: string[], options: { container: boolean; snapshots: string }) {
    const bin = fs.mkdtempSync(path.join(dir, "bin-"));
    const log = path.join(bin, "calls.log");
    const data = path.join(bin, "volumes", "shop-a-data", "_data");
    fs.mkdirSync(data, { recursive: true });
    const script = (name: string, body: string) =>
        fs.writeFileSync(path.join(bin, name), `#!/bin/bash\necho "${name} $*" >> "${log}"\n${body}\n`, {
            mode: 0o755,
        });
    script(
        "docker",
        options.container
            ? `case "$1 $2" in "volume inspect") echo "${data}" ;; "inspect --format") echo shop-a-data ;; esac`
            : `[[ $1 == volume ]] && echo "${data}" || exit 1`,
    );
    script("restic", `[[ " $* " == *" snapshots --json "* ]] && echo '${options.snapshots}'; exit 0`);
    const env = path.join(bin, "backup.env");
    fs.writeFileSync(
        env,
        renderBackupEnv({
            target: { kind: "s3", repository: "s3:https://fsn1.example.com/bucket/fleet" },
            hostName: "fsn1-b",
            retention: { daily: 7, weekly: 4, monthly: 6 },
            paths: { staging: path.join(bin, "staging") },
        }),
    );
    fs.writeFileSync(path.join(bin, "tool"), renderBackupScript(), { mode: 0o755 });
    const result = spawnSync("bash", [path.join(bin, "tool"), ...args], {
        encoding: "utf8",
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ZEPTOCLAW_BACKUP_ENV: env },
    });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trimEnd().split("\n") : [];
    return { status: result.status, stderr: result.stderr, calls };
}

const none = "[]";

describe("the host's backup tool: --from-host", () => {
    test("snapshots lists this host's snapshots, or the named host's", () => {
        const own = tool(["snapshots", "shop-a"], { container: true, snapshots: none });
        expect(own.status).toBe(0);
        expect(own.calls).toContain("restic snapshots --host fsn1-b --tag tenant=shop-a");
        const other = tool(["snapshots", "shop-a", "--from-host", "fsn1-a"], {
            container: false,
            snapshots: none,
        });
        expect(other.status).toBe(0);
        expect(other.calls).toContain("restic snapshots --host fsn1-a --tag tenant=shop-a");
    });

    test("restore looks for the named host's snapshots, and refuses before any change when there is none", () => {
        const r = tool(["restore", "shop-a", "--from-host", "fsn1-a"], { container: true, snapshots: none });
        expect(r.status).toBe(1);
        expect(r.stderr).toBe(
            "zeptoclaw-fleet-backup: no snapshot 'latest' of tenant shop-a from host fsn1-a in " +
                "s3:https://fsn1.example.com/bucket/fleet; nothing was changed (list them: " +
                "zeptoclaw-fleet-backup snapshots shop-a --from-host fsn1-a)\n",
        );
        expect(r.calls).toContain("restic snapshots --json --host fsn1-a --tag tenant=shop-a");
        expect(r.calls.filter((c) => /^docker (stop|pause)|^restic (backup|restore)/.test(c))).toEqual([]);
    });

    test("restore into a tenant this host does not run yet is refused with the order to follow", () => {
        const r = tool(["restore", "shop-a", "--from-host", "fsn1-a"], { container: false, snapshots: none });
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(
            /shop-a is not on this host yet: add this host's stack to its tenant file's stacks, set its secrets in that stack and pulumi up, then restore\n$/,
        );
        expect(r.calls.filter((c) => c.startsWith("restic"))).toEqual([]);
    });

    test("a host name of another shape, or a missing one, is refused; extra arguments print the usage", () => {
        for (const args of [
            ["restore", "shop-a", "--from-host", "a;reboot"],
            ["restore", "shop-a", "--from-host"],
        ]) {
            const r = tool(args, { container: true, snapshots: none });
            expect(r.status).toBe(1);
            expect(r.stderr).toBe("zeptoclaw-fleet-backup: --from-host takes a host name\n");
            expect(r.calls.filter((c) => c.startsWith("restic"))).toEqual([]);
        }
        const extra = tool(["snapshots", "shop-a", "shop-b"], { container: true, snapshots: none });
        expect(extra.status).toBe(2);
        expect(extra.stderr).toMatch(/^usage: zeptoclaw-fleet-backup backup/);
    });
});
