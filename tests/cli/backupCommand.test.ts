import * as fs from "node:fs";
import * as path from "node:path";
import { backupCommand } from "../../scripts/backup";
import { runInProcess } from "../support/runInProcess";
import { runScript } from "../support/runScript";
import { fakePulumiShellHeader } from "../support/fakePulumi";
import { tempDir } from "../support/tempDir";

const repo = path.resolve(__dirname, "..", "..");
const knownHostsLine = "198.51.100.7 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockHostKey";
const dirs: string[] = [];

afterAll(() => {
    for (const dir of dirs) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

/** Runs scripts/backup.ts with a fake `pulumi` printing `outputs` and a fake `ssh` that records its call. */
function run(args: string[], outputs: Record<string, unknown>) {
    const dir = tempDir("zc-backup-cli-");
    dirs.push(dir);
    const log = path.join(dir, "calls.log");
    fs.writeFileSync(
        path.join(dir, "pulumi"),
        `${fakePulumiShellHeader}echo '${JSON.stringify(outputs)}'\n`,
        {
            mode: 0o755,
        },
    );
    fs.writeFileSync(
        path.join(dir, "ssh"),
        `#!/bin/sh\nprintf '%s\\n' "$@" > "${log}"\n` +
            `for a in "$@"; do case "$a" in UserKnownHostsFile=*) cat "\${a#UserKnownHostsFile=}" > "${log}.known";; esac; done\n` +
            `echo "restored on the host"\n`,
        { mode: 0o755 },
    );
    const result = runScript("backup.ts", args, { cwd: repo, fakeBin: dir });
    const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : undefined);
    return { ...result, sshArgs: read(log)?.trimEnd().split("\n"), knownHosts: read(`${log}.known`) };
}

/** The command in this process: its refusals come before pulumi or ssh is run. */
const runHere = (args: string[]) => runInProcess("backup", backupCommand, args, repo);

const prodOutputs = { dockerHost: "ssh://root@198.51.100.7", knownHostsLine, hostName: "fsn1-a" };

describe("npm run backup / restore / snapshots", () => {
    test("restore runs the host's backup tool over SSH, accepting only the stack's host key", () => {
        const r = run(["restore", "-s", "prod", "shop-a", "1a2b3c4d"], prodOutputs);
        expect(r.status).toBe(0);
        expect(r.stdout).toContain("restored on the host");
        expect(r.sshArgs).toEqual([
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            expect.stringMatching(/^UserKnownHostsFile=\/.+\/known_hosts$/),
            "-o",
            "GlobalKnownHostsFile=/dev/null",
            "-o",
            "KnownHostsCommand=none",
            "-o",
            "UpdateHostKeys=no",
            "-o",
            "BatchMode=yes",
            "root@198.51.100.7",
            "/usr/local/sbin/zeptoclaw-fleet-backup",
            "restore",
            "shop-a",
            "1a2b3c4d",
        ]);
        expect(r.knownHosts?.trim()).toBe(knownHostsLine);
    });

    test("backup and snapshots pass the tenant names through", () => {
        expect(run(["backup", "-s", "prod"], prodOutputs).sshArgs?.slice(-1)).toEqual(["backup"]);
        expect(run(["snapshots", "-s", "prod", "shop-b"], prodOutputs).sshArgs?.slice(-2)).toEqual([
            "snapshots",
            "shop-b",
        ]);
    });

    test("restore --from-host runs the host tool with the dead host's name after the tenant", () => {
        const r = run(["restore", "-s", "prod", "--from-host", "fsn1-a", "shop-a"], prodOutputs);
        expect(r.status).toBe(0);
        expect(r.sshArgs?.slice(-5)).toEqual([
            "/usr/local/sbin/zeptoclaw-fleet-backup",
            "restore",
            "shop-a",
            "--from-host",
            "fsn1-a",
        ]);
        expect(
            run(["restore", "-s", "prod", "shop-a", "--from-host", "a;reboot"], prodOutputs).sshArgs,
        ).toBeUndefined();
    });

    test("what reaches the remote shell is only a tenant name or a snapshot id", async () => {
        const badTenant = await runHere(["restore", "-s", "prod", "shop-a;reboot"]);
        expect(badTenant.status).toBe(2);
        expect(badTenant.stderr).toMatch(/^backup: "shop-a;reboot" is not a tenant name/);
        const badId = await runHere(["restore", "-s", "prod", "shop-a", "$(id)"]);
        expect(badId.status).toBe(2);
        expect(badId.stderr).toMatch(/"\$\(id\)" is not a snapshot id/);
        expect((await runHere(["snapshots", "-s", "prod"])).stderr).toMatch(/snapshots takes one tenant/);
        expect((await runHere(["restore", "-s", "prod", "a", "1a2b3c4d", "b"])).stderr).toMatch(
            /restore takes one tenant and, optionally, one snapshot id/,
        );
        // Refused in the subprocess too: ssh is never started.
        expect(run(["restore", "-s", "prod", "shop-a;reboot"], prodOutputs).sshArgs).toBeUndefined();
    });

    test("a local stack has no host backups; a stack without a pinned host key is refused", () => {
        const local = run(["restore", "-s", "dev", "shop-a"], { dockerHost: "unix:///var/run/docker.sock" });
        expect(local.status).toBe(2);
        expect(local.stderr).toMatch(/runs on a local engine .* backups run on Hetzner hosts/);
        const unpinned = run(["restore", "-s", "prod", "shop-a"], { dockerHost: "ssh://root@198.51.100.7" });
        expect(unpinned.status).toBe(2);
        expect(unpinned.sshArgs).toBeUndefined();
    });

    test("an unknown verb, an unknown stack and a missing -s say what exists", async () => {
        expect(await runHere(["restore", "-s", "staging", "shop-a"])).toMatchObject({
            status: 2,
            stderr: 'backup: stack "staging" does not exist (no Pulumi.staging.yaml); known stacks: dev, prod\n',
        });
        expect(await runHere(["restore", "shop-a"])).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(
                /^backup: name the stack with -s <stack> \(known stacks: dev, prod\)\n/,
            ),
        });
        expect(await runHere(["prune", "-s", "prod"])).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(/^backup: usage: npm run backup -- -s <stack> \[tenant...\]\n/),
        });
    });
});
