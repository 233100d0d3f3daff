import * as fs from "node:fs";
import * as path from "node:path";
import { parseTenantFile } from "../../lib/tenants/parseTenantFile";
import { tenantCommand, tenantUsage } from "../../scripts/tenant";
import { runInProcess } from "../support/runInProcess";
import { runScript } from "../support/runScript";
import { seedConfig, writeSeedTenants } from "../support/seedTenants";
import { tenantYaml } from "../support/tenantFiles";
import { fakePulumiShellHeader } from "../support/fakePulumi";
import { tempDir } from "../support/tempDir";

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
    const dir = tempDir("zc-cli-");
    for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"]) {
        fs.copyFileSync(path.join(repo, f), path.join(dir, f));
    }
    fs.mkdirSync(path.join(dir, "tenants"));
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    const log = path.join(dir, "calls.log");
    // Records its arguments and its standard input, one line each, as the fake `pulumi` and `docker`.
    const fake = (tool: string, header = "#!/bin/sh\n") =>
        `${header}printf '%s ARGS %s\\n' ${tool} "$*" >> "${log}"\nif [ ! -t 0 ]; then input=$(cat); [ -z "$input" ] || printf '%s STDIN %s\\n' ${tool} "$input" >> "${log}"; fi\n`;
    fs.writeFileSync(
        path.join(bin, "pulumi"),
        fake("pulumi", fakePulumiShellHeader) +
            `case "$*" in "stack output --json"*) echo '${JSON.stringify(outputs)}';; esac\n`,
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
        runScript("tenant.ts", args, { cwd: dir, fakeBin: bin, input: stdin });
    /** The command in this process, for what it does without reading secrets or running a tool. */
    const runHere = (args: string[]) => runInProcess("tenant", tenantCommand, args, dir);
    const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []);
    return { dir, run, runHere, calls };
}

jest.setTimeout(60_000);

describe("npm run tenant", () => {
    test("add writes the file into the tenants folder its stack reads (tenantsDir), and list reads that folder", async () => {
        const w = workspace();
        fs.appendFileSync(path.join(w.dir, "Pulumi.prod.yaml"), "    zeptoclaw-fleet:tenantsDir: clients\n");
        fs.mkdirSync(path.join(w.dir, "clients"));
        const result = w.run(["add", "shop-new", "--stack", "prod"], "123:TELEGRAM-SECRET\nsk-ant-SECRET\n");
        expect(result.status).toBe(0);
        expect(fs.existsSync(path.join(w.dir, "clients/shop-new.yaml"))).toBe(true);
        expect(fs.readdirSync(path.join(w.dir, "tenants"))).toEqual([]);
        const listed = await w.runHere(["list", "--stack", "prod"]);
        expect(listed.stdout).toMatch(/shop-new/);
        // dev reads tenants/, prod clients/: one command works on one folder.
        expect(await w.runHere(["add", "shop-other", "--stack", "dev", "--stack", "prod"])).toMatchObject({
            status: 2,
            stderr: "tenant: dev reads tenants, prod reads clients: one command works on one tenants folder\n",
        });
    });

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

    test("usage: a missing command or stack is refused (2), a malformed option too", async () => {
        const w = workspace();
        expect(await w.runHere([])).toEqual({
            status: 2,
            stdout: "",
            stderr: `tenant: ${tenantUsage}\n`,
        });
        expect(await w.runHere(["add", "shop-b"])).toMatchObject({
            status: 2,
            stderr: "tenant: name the stack with --stack <stack>\n",
        });
        expect(await w.runHere(["rotate", "shop-b", "--stack", "dev"])).toMatchObject({
            status: 2,
            stderr: "tenant: usage: tenant rotate <name> <secret> --stack <stack>\n",
        });
        expect(await w.runHere(["list", "--force"])).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(/^tenant: Unknown option '--force'/),
        });
        const elsewhere = tempDir("zc-cli-elsewhere-");
        expect(await runInProcess("tenant", tenantCommand, ["list"], elsewhere)).toMatchObject({
            status: 2,
            stderr: "tenant: run this from the zeptoclaw-fleet project folder (where Pulumi.yaml is)\n",
        });
        fs.rmSync(elsewhere, { recursive: true });
        expect(w.calls()).toEqual([]);
    });

    test("add refuses an invalid name, a duplicate, an unknown stack and a missing secret, writing nothing", async () => {
        const w = workspace();
        fs.writeFileSync(path.join(w.dir, "tenants/shop-a.yaml"), tenantYaml("shop-a"));
        expect(await w.runHere(["add", "Shop_A", "--stack", "dev"])).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(/^tenant: "Shop_A" is not a tenant name/),
        });
        expect((await w.runHere(["add", "shop-a", "--stack", "dev"])).stderr).toMatch(
            /tenant "shop-a" already exists/,
        );
        expect((await w.runHere(["add", "shop-b", "--stack", "staging"])).stderr).toMatch(
            /stack "staging" does not exist/,
        );
        expect(w.run(["add", "shop-b", "--stack", "dev"], "only-one\n").stderr).toMatch(
            /no value on standard input/,
        );
        expect(fs.readdirSync(path.join(w.dir, "tenants"))).toEqual(["shop-a.yaml"]);
        expect(w.calls()).toEqual([]);
    });

    test("rotate replaces one secret the tenant references", async () => {
        const w = workspace();
        fs.writeFileSync(path.join(w.dir, "tenants/shop-a.yaml"), tenantYaml("shop-a"));
        expect((await w.runHere(["rotate", "shop-a", "braveApiKey", "--stack", "dev"])).stderr).toMatch(
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

    test("list prints the tenants of each stack with their limits", async () => {
        const w = workspace();
        fs.writeFileSync(
            path.join(w.dir, "tenants/shop-a.yaml"),
            tenantYaml("shop-a", { stacks: ["prod"], resources: { memoryMb: 256 } }),
        );
        const out = (await w.runHere(["list"])).stdout.trim().split("\n");
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

    test("list takes a tenant waiting in an environment for its host, and lists it under no stack", async () => {
        const w = workspace();
        fs.writeFileSync(
            path.join(w.dir, "Pulumi.eu-a.yaml"),
            "config:\n    zeptoclaw-fleet:environment: eu\n",
        );
        fs.writeFileSync(path.join(w.dir, "tenants/shop-a.yaml"), tenantYaml("shop-a", { stacks: ["prod"] }));
        fs.writeFileSync(path.join(w.dir, "tenants/shop-b.yaml"), tenantYaml("shop-b", { stacks: ["eu"] }));
        const result = await w.runHere(["list"]);
        expect(result.status).toBe(0);
        expect(
            result.stdout
                .trim()
                .split("\n")
                .slice(1)
                .map((l) => l.split(/\s+/).slice(0, 2)),
        ).toEqual([["prod", "shop-a"]]);
    });

    describe("import", () => {
        /** The seed's layout with three tenants: as add-tenant.sh wrote them, edited, and on OpenRouter. */
        function seed(dir: string, overrides: Record<string, unknown> = {}): string {
            const seedDir = path.join(dir, "seed", "tenants");
            const fatimah = seedConfig("sk-ant-SECRET-f", "456:TG-SECRET-f") as Record<string, any>;
            fatimah.tools.web.search.api_key = "BRAVE-SECRET-f";
            fatimah.channels.telegram.allow_from = [1001, "owner"];
            const ali = seedConfig("unused", "789:TG-SECRET-l") as Record<string, any>;
            ali.providers = { openrouter: { api_key: "sk-or-SECRET-l" } };
            writeSeedTenants(seedDir, {
                "shop-ahmad": seedConfig("sk-ant-SECRET-a", "123:TG-SECRET-a"),
                "shop-fatimah": fatimah,
                "shop-ali": ali,
                ...overrides,
            });
            return seedDir;
        }

        test("turns each seed config.json into a valid tenant file and moves its secrets through stdin", () => {
            const w = workspace();
            const result = w.run(["import", seed(w.dir), "--stack", "prod"]);
            expect(result.stderr).toBe("");
            expect(result.status).toBe(0);
            expect(fs.readdirSync(path.join(w.dir, "tenants")).sort()).toEqual([
                "shop-ahmad.yaml",
                "shop-ali.yaml",
                "shop-fatimah.yaml",
            ]);
            for (const name of ["shop-ahmad", "shop-ali", "shop-fatimah"]) {
                const text = fs.readFileSync(path.join(w.dir, `tenants/${name}.yaml`), "utf8");
                expect(text).not.toMatch(/SECRET/);
                const parsed = parseTenantFile(`tenants/${name}.yaml`, text);
                expect(parsed.ok ? parsed.tenant.volume : parsed.problems).toBe(`zeptoclaw_${name}-data`);
            }
            expect(w.calls()).toEqual([
                "pulumi ARGS config set --secret --path tenantSecrets.shop-ahmad.anthropicApiKey -s prod",
                "pulumi STDIN sk-ant-SECRET-a",
                "pulumi ARGS config set --secret --path tenantSecrets.shop-ahmad.telegramBotToken -s prod",
                "pulumi STDIN 123:TG-SECRET-a",
                "pulumi ARGS config set --secret --path tenantSecrets.shop-ali.openrouterApiKey -s prod",
                "pulumi STDIN sk-or-SECRET-l",
                "pulumi ARGS config set --secret --path tenantSecrets.shop-ali.telegramBotToken -s prod",
                "pulumi STDIN 789:TG-SECRET-l",
                "pulumi ARGS config set --secret --path tenantSecrets.shop-fatimah.anthropicApiKey -s prod",
                "pulumi STDIN sk-ant-SECRET-f",
                "pulumi ARGS config set --secret --path tenantSecrets.shop-fatimah.telegramBotToken -s prod",
                "pulumi STDIN 456:TG-SECRET-f",
                "pulumi ARGS config set --secret --path tenantSecrets.shop-fatimah.webSearchApiKey -s prod",
                "pulumi STDIN BRAVE-SECRET-f",
            ]);
            expect(result.stdout).not.toMatch(/SECRET/);
            expect(result.stdout).toMatch(
                /changed agents\.defaults\.model: "anthropic\/claude-sonnet-4" -> "claude-sonnet-4-6"/,
            );
            expect(result.stdout).toMatch(
                /changed channels\.telegram\.allow_from: \[1001,"owner"\] -> \["1001","owner"\]/,
            );
            expect(result.stdout).toMatch(
                /imported shop-ahmad -> tenants\/shop-ahmad\.yaml \(volume zeptoclaw_shop-ahmad-data/,
            );
        });

        test("refuses the whole import when one tenant cannot be imported, writing and setting nothing", async () => {
            const w = workspace();
            const bad = seedConfig("ENC[v1:abc]", "1:t");
            const result = await w.runHere(["import", seed(w.dir, { "shop-enc": bad }), "--stack", "prod"]);
            expect(result.status).toBe(2);
            expect(result.stderr).toMatch(/nothing was imported/);
            expect(result.stderr).toMatch(
                /shop-enc\/config\.json: providers\.anthropic\.api_key: is encrypted/,
            );
            expect(fs.readdirSync(path.join(w.dir, "tenants"))).toEqual([]);
            expect(w.calls()).toEqual([]);
        });
    });
});
