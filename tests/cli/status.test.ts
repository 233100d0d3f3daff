import * as fs from "node:fs";
import * as path from "node:path";
import { statusCommand } from "../../scripts/status";
import { runInProcess } from "../support/runInProcess";
import { runScript } from "../support/runScript";
import { tenantYaml } from "../support/tenantFiles";
import { fakePulumiShellHeader, pinnedPulumiVersion } from "../support/fakePulumi";
import { tempDir } from "../support/tempDir";

const repo = path.resolve(__dirname, "..", "..");
const hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockHostKey";

/**
 * A copy of the project's stack files with one tenant, and a fake `pulumi` whose `stack output`
 * prints `outputs` (or fails when it is undefined). `ssh` is a fake too: it records how it was
 * called and what known_hosts file it was given, then refuses the host as OpenSSH would.
 */
const workspaces: string[] = [];

afterAll(() => {
    for (const dir of workspaces) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

function workspace(outputs: Record<string, unknown> | undefined) {
    const dir = tempDir("zc-status-cli-");
    workspaces.push(dir);
    for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"]) {
        fs.copyFileSync(path.join(repo, f), path.join(dir, f));
    }
    fs.mkdirSync(path.join(dir, "tenants"));
    fs.writeFileSync(path.join(dir, "tenants/shop-a.yaml"), tenantYaml("shop-a"));
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    const log = path.join(dir, "calls.log");
    const printed =
        outputs === undefined
            ? "echo 'error: no stack named dev found' >&2; exit 255"
            : `echo '${JSON.stringify(outputs)}'`;
    fs.writeFileSync(
        path.join(bin, "pulumi"),
        `${fakePulumiShellHeader}printf 'pulumi %s\\n' "$*" >> "${log}"\n${printed}\n`,
        {
            mode: 0o755,
        },
    );
    fs.writeFileSync(
        path.join(bin, "ssh"),
        `#!/bin/sh\nprintf 'ssh %s\\n' "$*" >> "${log}"\n` +
            `for a in "$@"; do case "$a" in UserKnownHostsFile=*) printf 'known_hosts %s' "$(cat "\${a#UserKnownHostsFile=}")" >> "${log}";; esac; done\n` +
            `echo 'Host key verification failed.' >&2\nexit 255\n`,
        { mode: 0o755 },
    );
    const run = (args: string[], env?: Record<string, string>) =>
        runScript("status.ts", args, { cwd: dir, fakeBin: bin, env });
    /** The command in this process (its refusals come before any tool is run). */
    const runHere = (args: string[]) => runInProcess("status", statusCommand, args, dir);
    const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []);
    return { dir, bin, log, run, runHere, calls };
}

jest.setTimeout(60_000);

describe("npm run status", () => {
    test("reads the stack through the CLI every operator command drives: the pinned one when PATH's is older", () => {
        const w = workspace(undefined);
        // An old CLI on PATH; the pinned version in its folder under HOME, as fleet installs it.
        fs.writeFileSync(path.join(w.bin, "pulumi"), `#!/bin/sh\necho v3.200.0\n`, { mode: 0o755 });
        const pinnedBin = path.join(w.dir, "home/.pulumi/versions", pinnedPulumiVersion, "bin");
        fs.mkdirSync(pinnedBin, { recursive: true });
        fs.writeFileSync(
            path.join(pinnedBin, "pulumi"),
            `${fakePulumiShellHeader}printf 'pinned pulumi %s\\n' "$*" >> "${w.log}"\n` +
                `echo '${JSON.stringify({ dockerHost: "ssh://root@198.51.100.7", knownHostsLine: `198.51.100.7 ${hostKey}` })}'\n`,
            { mode: 0o755 },
        );
        const result = w.run(["-s", "dev"], { HOME: path.join(w.dir, "home") });
        expect(result.stderr).toMatch(
            `status: using Pulumi CLI ${pinnedPulumiVersion} from ${path.dirname(pinnedBin)} (pulumi on PATH is 3.200.0`,
        );
        expect(w.calls()).toContain("pinned pulumi stack output --json -s dev");
    });

    test("refuses a missing or unknown stack before asking pulumi anything", async () => {
        const w = workspace({ dockerHost: "unix:///var/run/docker.sock" });
        const missing = await w.runHere([]);
        expect(missing.status).toBe(2);
        expect(missing.stderr).toBe(
            "status: name the stack with -s <stack> (known stacks: dev, prod)\nusage: npm run status -- -s <stack> [--json] [--html <file>]\n",
        );
        const unknown = await w.runHere(["-s", "staging"]);
        expect(unknown.status).toBe(2);
        expect(unknown.stderr).toBe(
            'status: stack "staging" does not exist (no Pulumi.staging.yaml); known stacks: dev, prod\n',
        );
        expect((await w.runHere(["--stack"])).stderr).toMatch(
            /status: Option '-s, --stack <value>' argument missing/,
        );
        expect((await w.runHere(["-s", "dev", "extra"])).stderr).toMatch(/Unexpected argument 'extra'/);
        expect(w.calls()).toEqual([]);
    });

    test("says so when the stack's outputs cannot be read or used", () => {
        const failing = workspace(undefined);
        const result = failing.run(["-s", "dev"]);
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/error: no stack named dev found/);
        expect(result.stderr).toMatch(
            /status: pulumi stack output --json -s dev failed \(its message is above\); is the stack initialised and deployed\?/,
        );
        expect(failing.calls()).toEqual(["pulumi stack output --json -s dev"]);

        expect(workspace({}).run(["-s", "dev"]).stderr).toMatch(
            /stack "dev" has no outputs: it has not been deployed yet \(pulumi up -s dev\)/,
        );
        expect(workspace({ hostName: "local" }).run(["-s", "dev"]).stderr).toMatch(
            /has no dockerHost output/,
        );
    });

    test("never trusts an SSH host on first use: without knownHostsLine, nothing connects", () => {
        const w = workspace({ dockerHost: "ssh://root@127.0.0.1", hostName: "fsn1-a" });
        const result = w.run(["-s", "prod"]);
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/reaches its engine over SSH .* but has no knownHostsLine output/);
        expect(w.calls()).toEqual(["pulumi stack output --json -s prod"]);
    });

    test("over SSH, the Docker CLI's ssh accepts the stack's host key only", () => {
        const w = workspace({
            dockerHost: "ssh://root@127.0.0.1",
            knownHostsLine: `127.0.0.1 ${hostKey}`,
            hostName: "fsn1-a",
        });
        const result = w.run(["-s", "prod"]);
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(
            /status: cannot reach the Docker engine of stack "prod" at ssh:\/\/root@127\.0\.0\.1: .*Host key verification failed.*; the host did not present the key in the stack's knownHostsLine/,
        );
        const calls = w.calls();
        const ssh = calls.find((c) => c.startsWith("ssh "));
        expect(ssh).toMatch(
            /^ssh -o StrictHostKeyChecking=yes -o UserKnownHostsFile=\S+\/known_hosts -o GlobalKnownHostsFile=\/dev\/null -o KnownHostsCommand=none -o UpdateHostKeys=no .*-l root -- 127\.0\.0\.1 docker system dial-stdio$/,
        );
        expect(calls).toContain(`known_hosts 127.0.0.1 ${hostKey}`);
        // The temporary known_hosts file and wrapper are gone afterwards.
        const knownHosts = /UserKnownHostsFile=(\S+)/.exec(ssh ?? "")?.[1] ?? "";
        expect(fs.existsSync(path.dirname(knownHosts))).toBe(false);
    });
});
