import { spawn, spawnSync } from "node:child_process";
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
function tool(
    args: string[],
    options: {
        container: boolean;
        snapshots: string;
        restoreFails?: boolean;
        /** What a killed restore left beside the data, before the tool runs. */
        before?: (data: string, bin: string) => void;
        env?: NodeJS.ProcessEnv;
    },
) {
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
            ? [
                  'case "$1 $2 $3" in',
                  `"volume inspect"*) echo "${data}" ;;`,
                  '*".State.Status"*) echo running ;;',
                  '*".State.Health"*) echo healthy ;;',
                  '"inspect --format"*) echo shop-a-data ;;',
                  "esac",
              ].join("\n")
            : `[[ $1 == volume ]] && echo "${data}" || exit 1`,
    );
    // restore unpacks the snapshot's path (/staging/shop-a) under its --target.
    script(
        "restic",
        [
            `[[ " $* " == *" snapshots --json "* ]] && echo '${options.snapshots}'`,
            `[[ $1 == backup ]] && echo '{"message_type":"summary","snapshot_id":"feedbeef00"}'`,
            `if [[ $1 == restore ]]; then ${options.restoreFails ? "exit 1" : 'mkdir -p "$4/staging/shop-a"'}; fi`,
            "exit 0",
        ].join("\n"),
    );
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
    options.before?.(data, bin);
    const result = spawnSync("bash", [path.join(bin, "tool"), ...args], {
        encoding: "utf8",
        env: {
            ...process.env,
            PATH: `${bin}:${process.env.PATH}`,
            ZEPTOCLAW_BACKUP_ENV: env,
            ...options.env,
        },
    });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trimEnd().split("\n") : [];
    return { status: result.status, stderr: result.stderr, calls, data };
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

describe("the host's backup tool: restore", () => {
    const snapshot = JSON.stringify([
        { id: "abcd1234ef", short_id: "abcd1234", time: "2026-12-01T00:00:00Z", paths: ["/staging/shop-a"] },
    ]);

    test("unpacks the snapshot while the tenant runs: only the swap is between its stop and its start", () => {
        const r = tool(["restore", "shop-a"], { container: true, snapshots: snapshot });
        expect(r.stderr).toMatch(
            /shop-a: restored snapshot abcd1234 of host fsn1-b and started again, \d+ ms after it stopped/,
        );
        expect(r.stderr).toMatch(/shop-a: healthy, \d+ ms after it stopped\n$/);
        expect(r.status).toBe(0);
        const order = r.calls.filter((c) => /^restic (backup|restore)|^docker (stop|start)/.test(c));
        expect(order.map((c) => c.split(" ").slice(0, 2).join(" "))).toEqual([
            "restic backup",
            "restic restore",
            "docker stop",
            "docker start",
        ]);
    });

    test("a snapshot that cannot be unpacked leaves the tenant running on its data, never stopped", () => {
        const r = tool(["restore", "shop-a"], { container: true, snapshots: snapshot, restoreFails: true });
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(
            /restic restore of abcd1234 failed; shop-a runs on its current data, unchanged\n$/,
        );
        expect(r.calls.filter((c) => /^docker (stop|start)/.test(c))).toEqual([]);
    });
});

describe("the host's backup tool after a restore was killed in its swap", () => {
    const snapshot = JSON.stringify([
        { id: "abcd1234ef", short_id: "abcd1234", time: "2026-12-01T00:00:00Z", paths: ["/staging/shop-a"] },
    ]);

    test("killed between its two renames: the next backup puts the old data back first, and the unpacked snapshot goes", () => {
        const r = tool(["backup", "shop-a"], {
            container: true,
            snapshots: snapshot,
            before: (data) => {
                fs.renameSync(data, `${data}.replaced`);
                fs.writeFileSync(`${data}.replaced/notes.txt`, "old data");
                fs.mkdirSync(path.join(path.dirname(data), "restore.AbC123/staging/shop-a"), {
                    recursive: true,
                });
            },
        });
        expect(r.stderr).toMatch(/put back the data a stopped restore had moved aside/);
        expect(r.status).toBe(0);
        expect(fs.readFileSync(path.join(r.data, "notes.txt"), "utf8")).toBe("old data");
        expect(fs.readdirSync(path.dirname(r.data))).toEqual(["_data"]);
    });

    test("killed after them: the restored data stays, the old copy goes", () => {
        const r = tool(["backup", "shop-a"], {
            container: true,
            snapshots: snapshot,
            before: (data) => {
                fs.writeFileSync(path.join(data, "notes.txt"), "restored");
                fs.mkdirSync(`${data}.replaced`);
                fs.writeFileSync(`${data}.replaced/notes.txt`, "old data");
            },
        });
        expect(r.status).toBe(0);
        expect(fs.readFileSync(path.join(r.data, "notes.txt"), "utf8")).toBe("restored");
        expect(fs.readdirSync(path.dirname(r.data))).toEqual(["_data"]);
    });

    test("a restore while another backup or restore of the tenant holds it is refused, and changes nothing", () => {
        let holder: ReturnType<typeof spawn> | undefined;
        try {
            const r = tool(["restore", "shop-a"], {
                container: true,
                snapshots: snapshot,
                env: { LOCK_WAIT_SECONDS: "1" },
                before: (_data, bin) => {
                    const lock = path.join(bin, "staging.locks/shop-a");
                    fs.mkdirSync(path.dirname(lock), { recursive: true });
                    holder = spawn("flock", [lock, "sleep", "30"], { stdio: "ignore" });
                    // Time for flock to take the lock.
                    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
                },
            });
            expect(r.status).toBe(1);
            expect(r.stderr).toMatch(
                /shop-a: another backup or restore of it holds it; nothing was changed\n$/,
            );
            expect(r.calls.filter((c) => /^restic (backup|restore)|^docker (stop|start)/.test(c))).toEqual(
                [],
            );
        } finally {
            holder?.kill();
        }
    });
});
