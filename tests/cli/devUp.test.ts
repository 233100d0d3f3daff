import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const repo = path.resolve(__dirname, "..", "..");

jest.setTimeout(60_000);

test("dev:up deploys the dev stack on a local backend, giving missing secrets placeholders through stdin", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zc-devup-"));
    const log = path.join(dir, "calls.log");
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    // A fake pulumi: `stack select` and `config get` fail (a new stack, no secrets yet), the rest succeed.
    fs.writeFileSync(
        path.join(bin, "pulumi"),
        `#!/bin/sh\nprintf 'ARGS %s | BACKEND %s\\n' "$*" "$PULUMI_BACKEND_URL" >> "${log}"\n` +
            `if [ ! -t 0 ]; then input=$(cat); [ -z "$input" ] || printf 'STDIN %s\\n' "$input" >> "${log}"; fi\n` +
            `case "$1 $2" in "stack select"|"config get") exit 1;; esac\nexit 0\n`,
        { mode: 0o755 },
    );
    fs.writeFileSync(path.join(bin, "docker"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    const result = spawnSync("bash", [path.join(repo, "scripts/dev-up.sh")], {
        encoding: "utf8",
        input: "",
        env: {
            ...process.env,
            PATH: `${bin}:${process.env.PATH}`,
            PULUMI_BACKEND_URL: "",
            PULUMI_CONFIG_PASSPHRASE: "",
        },
    });
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
