import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../support/tempDir";
import { pinnedPulumiVersion } from "../support/fakePulumi";

const repo = path.resolve(__dirname, "..", "..");

jest.setTimeout(60_000);

/**
 * A fake pulumi at `<dir>/bin` (or `binDir`) printing `version`: `stack select` and `config get`
 * fail (a new stack, no secrets yet), the rest succeed; every call is logged.
 */
function fakePulumi(binDir: string, log: string, version: string): void {
    fs.mkdirSync(binDir, { recursive: true });
    fs.writeFileSync(
        path.join(binDir, "pulumi"),
        `#!/bin/sh\nif [ "$1" = version ]; then echo ${version}; exit 0; fi\n` +
            `printf 'ARGS %s | BACKEND %s\\n' "$*" "$PULUMI_BACKEND_URL" >> "${log}"\n` +
            `if [ ! -t 0 ]; then input=$(cat); [ -z "$input" ] || printf 'STDIN %s\\n' "$input" >> "${log}"; fi\n` +
            `case "$1 $2" in "stack select"|"config get") exit 1;; esac\nexit 0\n`,
        { mode: 0o755 },
    );
}

function devUp(dir: string) {
    const bin = path.join(dir, "bin");
    fs.writeFileSync(path.join(bin, "docker"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    return spawnSync("bash", [path.join(repo, "scripts/dev-up.sh")], {
        encoding: "utf8",
        input: "",
        env: {
            ...process.env,
            PATH: `${bin}:${process.env.PATH}`,
            HOME: path.join(dir, "home"),
            PULUMI_BACKEND_URL: "",
            PULUMI_CONFIG_PASSPHRASE: "",
        },
    });
}

test("dev:up deploys the dev stack on a local backend, giving missing secrets placeholders through stdin", () => {
    const dir = tempDir("zc-devup-");
    const log = path.join(dir, "calls.log");
    fakePulumi(path.join(dir, "bin"), log, `v${pinnedPulumiVersion}`);
    const result = devUp(dir);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
    const calls = fs.readFileSync(log, "utf8").trim().split("\n");
    const backend = `file://${repo}/.pulumi`;
    expect(calls[0]).toBe(`ARGS stack select dev | BACKEND ${backend}`);
    expect(calls[1]).toBe(`ARGS stack init dev | BACKEND ${backend}`);
    // The sample tenants' seven secrets, each set through standard input, never on the command line.
    const sets = calls.filter((c) => c.startsWith("ARGS config set"));
    expect(sets).toHaveLength(7);
    expect(sets[0]).toBe(
        `ARGS config set --secret --path tenantSecrets.shop-ahmad.anthropicApiKey -s dev | BACKEND ${backend}`,
    );
    expect(calls).toContain("STDIN dev-placeholder-shop-ahmad-anthropicApiKey");
    expect(calls.filter((c) => c.startsWith("ARGS")).join("\n")).not.toMatch(/dev-placeholder/);
    expect(calls[calls.length - 1]).toBe(`ARGS up -s dev --yes | BACKEND ${backend}`);
});

test("dev:up drives the pinned Pulumi CLI from ~/.pulumi/versions when the one on PATH is too old", () => {
    const dir = tempDir("zc-devup-");
    const oldLog = path.join(dir, "old.log");
    const pinnedLog = path.join(dir, "pinned.log");
    fakePulumi(path.join(dir, "bin"), oldLog, "v3.200.0");
    fakePulumi(
        path.join(dir, "home/.pulumi/versions", pinnedPulumiVersion, "bin"),
        pinnedLog,
        `v${pinnedPulumiVersion}`,
    );
    const result = devUp(dir);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(
        `pulumi-cli: using Pulumi CLI ${pinnedPulumiVersion} from ${path.join(dir, "home/.pulumi/versions", pinnedPulumiVersion)} (pulumi on PATH is 3.200.0`,
    );
    expect(fs.existsSync(oldLog)).toBe(false);
    expect(fs.readFileSync(pinnedLog, "utf8").trim().split("\n").pop()).toMatch(/^ARGS up -s dev --yes /);
});
