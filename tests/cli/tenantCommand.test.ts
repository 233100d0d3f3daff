import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseTenantFile } from "../../lib/tenants/parseTenantFile";
import { tenantYaml } from "../support/tenantFiles";

const repo = path.resolve(__dirname, "..", "..");

const hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockHostKey";
/** What the fake `pulumi stack output --json` prints unless a test says otherwise: an SSH host. */
const sshHostOutputs = {
    dockerHost: "ssh://root@198.51.100.7",
    knownHostsLine: `198.51.100.7 ${hostKey}`,
};

/**
 * A copy of the project's stack files and an empty tenants/ folder, plus fake pulumi and docker.
 * The fake docker also records, for `volume`, the engine it was pointed at (DOCKER_HOST) and the
 * `ssh` first on its PATH with the known_hosts file that ssh is pinned to.
 */
function workspace(outputs: Record<string, unknown> = sshHostOutputs) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zc-cli-"));
    for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"]) {
        fs.copyFileSync(path.join(repo, f), path.join(dir, f));
    }
    fs.mkdirSync(path.join(dir, "tenants"));
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    const log = path.join(dir, "calls.log");
    // Records its arguments and its standard input, one line each, as the fake `pulumi` and `docker`.
    const fake = (tool: string) =>
        `#!/bin/sh\nprintf '%s ARGS %s\\n' ${tool} "$*" >> "${log}"\nif [ ! -t 0 ]; then input=$(cat); [ -z "$input" ] || printf '%s STDIN %s\\n' ${tool} "$input" >> "${log}"; fi\n`;
    fs.writeFileSync(
        path.join(bin, "pulumi"),
        fake("pulumi") + `case "$*" in "stack output --json"*) echo '${JSON.stringify(outputs)}';; esac\n`,
        { mode: 0o755 },
    );
    fs.writeFileSync(
        path.join(bin, "docker"),
        fake("docker") +
            `ssh=$(command -v ssh)\nprintf 'docker ENV DOCKER_HOST=%s\\n' "$DOCKER_HOST" >> "${log}"\n` +
            `printf 'docker SSH %s\\n' "$(sed -n 's/^exec //p' "$ssh")" >> "${log}"\n` +
            `printf 'docker KNOWN_HOSTS %s\\n' "$(cat "$(dirname "$ssh")/known_hosts")" >> "${log}"\n`,
        { mode: 0o755 },
    );
    const run = (args: string[], stdin = "") =>
        spawnSync(
            process.execPath,
            [
                "-r",
                require.resolve("ts-node/register/transpile-only"),
                path.join(repo, "scripts/tenant.ts"),
                ...args,
            ],
            {
                cwd: dir,
                input: stdin,
                encoding: "utf8",
                env: {
                    ...process.env,
                    PATH: `${bin}:${process.env.PATH}`,
                    TS_NODE_PROJECT: path.join(repo, "tsconfig.json"),
                },
            },
        );
    const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []);
    return { dir, run, calls };
}

jest.setTimeout(60_000);

describe("npm run tenant", () => {
    test("add writes a valid tenant file with the seed's defaults and sets each secret through stdin only", () => {
        const w = workspace();
        const result = w.run(["add", "shop-new", "--stack", "prod"], "123:TELEGRAM-SECRET\nsk-ant-SECRET\n");
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        const text = fs.readFileSync(path.join(w.dir, "tenants/shop-new.yaml"), "utf8");
        const parsed = parseTenantFile("tenants/shop-new.yaml", text);
        expect(parsed.ok).toBe(true);
        expect(text).not.toMatch(/SECRET/);
        expect(w.calls()).toEqual([
            "pulumi ARGS config set --secret --path tenantSecrets.shop-new.telegramBotToken -s prod",
            "pulumi STDIN 123:TELEGRAM-SECRET",
            "pulumi ARGS config set --secret --path tenantSecrets.shop-new.anthropicApiKey -s prod",
            "pulumi STDIN sk-ant-SECRET",
        ]);
        expect(result.stdout).not.toMatch(/SECRET/);
    });

    test("add refuses an invalid name, a duplicate, an unknown stack and a missing secret, writing nothing", () => {
        const w = workspace();
        fs.writeFileSync(path.join(w.dir, "tenants/shop-a.yaml"), tenantYaml("shop-a"));
        expect(w.run(["add", "Shop_A", "--stack", "dev"], "a\nb\n").stderr).toMatch(
            /"Shop_A" is not a tenant name/,
        );
        expect(w.run(["add", "shop-a", "--stack", "dev"], "a\nb\n").stderr).toMatch(
            /tenant "shop-a" already exists/,
        );
        expect(w.run(["add", "shop-b", "--stack", "staging"], "a\nb\n").stderr).toMatch(
            /stack "staging" does not exist/,
        );
        expect(w.run(["add", "shop-b", "--stack", "dev"], "only-one\n").stderr).toMatch(
            /no value on standard input/,
        );
        expect(fs.readdirSync(path.join(w.dir, "tenants"))).toEqual(["shop-a.yaml"]);
        expect(w.calls()).toEqual([]);
    });

    test("rotate replaces one secret the tenant references", () => {
        const w = workspace();
        fs.writeFileSync(path.join(w.dir, "tenants/shop-a.yaml"), tenantYaml("shop-a"));
        expect(w.run(["rotate", "shop-a", "braveApiKey", "--stack", "dev"], "x\n").stderr).toMatch(
            /has no secret "braveApiKey"; its secrets: anthropicApiKey, telegramBotToken/,
        );
        const ok = w.run(["rotate", "shop-a", "telegramBotToken", "--stack", "dev"], "999:NEW-TOKEN\n");
        expect(ok.status).toBe(0);
        expect(w.calls()).toEqual([
            "pulumi ARGS config set --secret --path tenantSecrets.shop-a.telegramBotToken -s dev",
            "pulumi STDIN 999:NEW-TOKEN",
        ]);
    });

    test("remove takes the tenant out of one stack and keeps its data", () => {
        const w = workspace();
        fs.writeFileSync(
            path.join(w.dir, "tenants/shop-a.yaml"),
            tenantYaml("shop-a", { stacks: ["dev", "prod"] }),
        );
        expect(w.run(["remove", "shop-a", "--stack", "prod"]).status).toBe(0);
        const left = parseTenantFile(
            "tenants/shop-a.yaml",
            fs.readFileSync(path.join(w.dir, "tenants/shop-a.yaml"), "utf8"),
        );
        expect(left.ok && left.tenant.stacks).toEqual(["dev"]);
        expect(w.run(["remove", "shop-a", "--stack", "dev"]).status).toBe(0);
        expect(fs.existsSync(path.join(w.dir, "tenants/shop-a.yaml"))).toBe(false);
        expect(w.calls()).toEqual([
            "pulumi ARGS config rm --path tenantSecrets.shop-a -s prod",
            "pulumi ARGS config rm --path tenantSecrets.shop-a -s dev",
        ]);
    });

    test("remove --purge deletes the data volume only after the tenant's name is typed, through the stack's pinned host key", () => {
        const w = workspace();
        fs.writeFileSync(path.join(w.dir, "tenants/shop-a.yaml"), tenantYaml("shop-a", { stacks: ["prod"] }));
        const refused = w.run(["remove", "shop-a", "--stack", "prod", "--purge"], "shop-b\n");
        expect(refused.stderr).toMatch(/not confirmed; nothing was changed/);
        expect(fs.existsSync(path.join(w.dir, "tenants/shop-a.yaml"))).toBe(true);
        expect(w.calls()).toEqual([]);

        const purged = w.run(["remove", "shop-a", "--stack", "prod", "--purge"], "shop-a\n");
        expect(purged.stderr).toBe("");
        expect(purged.status).toBe(0);
        const calls = w.calls();
        expect(calls.slice(0, 4)).toEqual([
            "pulumi ARGS stack output --json -s prod",
            "pulumi ARGS config rm --path tenantSecrets.shop-a -s prod",
            "pulumi ARGS up --yes -s prod",
            "docker ARGS volume rm shop-a-data",
        ]);
        expect(calls[4]).toBe("docker ENV DOCKER_HOST=ssh://root@198.51.100.7");
        expect(calls[5]).toMatch(
            /^docker SSH '\S*\/ssh' '-o' 'StrictHostKeyChecking=yes' '-o' 'UserKnownHostsFile=\S+\/known_hosts' '-o' 'GlobalKnownHostsFile=\/dev\/null' '-o' 'KnownHostsCommand=none' '-o' 'UpdateHostKeys=no' "\$@"$/,
        );
        expect(calls.slice(6)).toEqual([`docker KNOWN_HOSTS 198.51.100.7 ${hostKey}`]);
        expect(purged.stdout).toBe("removed shop-a from prod and deleted its data volume shop-a-data\n");
    });

    test("remove --purge deletes the volume a tenant adopted, not <name>-data", () => {
        const w = workspace();
        fs.writeFileSync(
            path.join(w.dir, "tenants/shop-a.yaml"),
            `${tenantYaml("shop-a", { stacks: ["prod"] })}volume: seed_shop-a-data\n`,
        );
        const purged = w.run(["remove", "shop-a", "--stack", "prod", "--purge"], "shop-a\n");
        expect(purged.stdout).toMatch(/deleted its data volume seed_shop-a-data\n$/);
        expect(purged.status).toBe(0);
        const volumeCalls = w.calls().filter((c) => c.startsWith("docker ARGS"));
        expect(volumeCalls).toEqual(["docker ARGS volume rm seed_shop-a-data"]);
    });

    test("remove --purge changes nothing when the stack's engine cannot be reached with a pinned host key", () => {
        const w = workspace({ dockerHost: "ssh://root@198.51.100.7" });
        fs.writeFileSync(path.join(w.dir, "tenants/shop-a.yaml"), tenantYaml("shop-a", { stacks: ["prod"] }));
        const refused = w.run(["remove", "shop-a", "--stack", "prod", "--purge"], "shop-a\n");
        expect(refused.status).toBe(2);
        expect(refused.stderr).toMatch(
            /reaches its engine over SSH \(ssh:\/\/root@198\.51\.100\.7\) but has no knownHostsLine output .*; nothing was changed/,
        );
        expect(fs.existsSync(path.join(w.dir, "tenants/shop-a.yaml"))).toBe(true);
        expect(w.calls()).toEqual(["pulumi ARGS stack output --json -s prod"]);
    });

    test("list prints the tenants of each stack with their limits", () => {
        const w = workspace();
        fs.writeFileSync(
            path.join(w.dir, "tenants/shop-a.yaml"),
            tenantYaml("shop-a", { stacks: ["prod"], resources: { memoryMb: 256 } }),
        );
        const out = w.run(["list"]).stdout.trim().split("\n");
        expect(out[0].split(/\s+/)).toEqual([
            "STACK",
            "TENANT",
            "MEMORY",
            "RESERVED",
            "CPUS",
            "CPU-WEIGHT",
            "PIDS",
            "DISK",
        ]);
        expect(out[1].split(/\s+/)).toEqual([
            "prod",
            "shop-a",
            "256M",
            "32M",
            "0.25",
            "0.05",
            "256",
            "1024M",
        ]);
    });
});
