import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ServerTypeInfo } from "../../lib/capacity/capacity";
import { fleetCommand } from "../../scripts/fleet";
import { runInProcess } from "../support/runInProcess";
import { serverTypeInfosFixture } from "../support/serverTypes";
import { tenantYaml } from "../support/tenantFiles";
import { tempDir } from "../support/tempDir";
import { pinnedPulumiVersion } from "../support/fakePulumi";

const repo = path.resolve(__dirname, "..", "..");
const fakePulumi = path.join(repo, "tests/fixtures/fake-pulumi/pulumi.js");

jest.setTimeout(60_000);

const dirs: string[] = [];
const savedEnv = { PATH: process.env.PATH, HOME: process.env.HOME, HCLOUD_TOKEN: process.env.HCLOUD_TOKEN };

afterEach(() => {
    process.env.PATH = savedEnv.PATH;
    process.env.HOME = savedEnv.HOME;
    if (savedEnv.HCLOUD_TOKEN === undefined) {
        delete process.env.HCLOUD_TOKEN;
    } else {
        process.env.HCLOUD_TOKEN = savedEnv.HCLOUD_TOKEN;
    }
});

afterAll(() => {
    for (const dir of dirs) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

/** Installs the fake CLI as `<binDir>/pulumi`, printing `version`, failing for the stacks in `fail`. */
function installFake(
    binDir: string,
    stateDir: string,
    settings: { version: string; fail?: string[]; lastKind?: string },
) {
    fs.mkdirSync(binDir, { recursive: true });
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(path.join(stateDir, "fake.json"), JSON.stringify(settings));
    fs.writeFileSync(
        path.join(binDir, "pulumi"),
        `#!/bin/sh\nexec "${process.execPath}" "${fakePulumi}" "${stateDir}" "$@"\n`,
        { mode: 0o755 },
    );
}

/**
 * A project with three host stacks: prod-a and prod-b in environment prod, dev on its own; one
 * tenant on each prod host; committed to git. The fake CLI first on PATH.
 */
function project(
    settings: { version: string; fail?: string[]; lastKind?: string } = {
        version: `v${pinnedPulumiVersion}`,
    },
) {
    const dir = tempDir("zc-fleet-cli-");
    dirs.push(dir);
    const root = path.join(dir, "project");
    fs.mkdirSync(path.join(root, "tenants"), { recursive: true });
    fs.copyFileSync(path.join(repo, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    fs.writeFileSync(
        path.join(root, "Pulumi.prod-a.yaml"),
        "config:\n    zeptoclaw-fleet:environment: prod\n",
    );
    fs.writeFileSync(
        path.join(root, "Pulumi.prod-b.yaml"),
        "config:\n    zeptoclaw-fleet:environment: prod\n",
    );
    fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config:\n    zeptoclaw-fleet:hostKind: local\n");
    fs.writeFileSync(
        path.join(root, "tenants/shop-a.yaml"),
        tenantYaml("shop-a", { stacks: ["prod-a", "dev"] }),
    );
    fs.writeFileSync(path.join(root, "tenants/shop-b.yaml"), tenantYaml("shop-b", { stacks: ["prod-b"] }));
    const git = (...args: string[]) => {
        const r = spawnSync("git", args, { cwd: root, encoding: "utf8" });
        if (r.status !== 0) {
            throw new Error(r.stderr);
        }
    };
    git("init", "-q", "-b", "main");
    git("config", "user.email", "t@example.invalid");
    git("config", "user.name", "t");
    git("add", "-A");
    git("commit", "-q", "-m", "fleet");
    const state = path.join(dir, "state");
    installFake(path.join(dir, "bin"), state, settings);
    process.env.PATH = `${path.join(dir, "bin")}:${savedEnv.PATH}`;
    const calls = () =>
        fs.existsSync(path.join(state, "calls.log"))
            ? fs
                  .readFileSync(path.join(state, "calls.log"), "utf8")
                  .trim()
                  .split("\n")
                  .map((l) => JSON.parse(l) as string[])
            : [];
    /** The operations the CLI ran, as `<operation> <stack>`. */
    const operations = () =>
        calls()
            .filter((a) => ["preview", "up", "refresh"].includes(a[0]))
            .map((a) => `${a[0]} ${a[a.indexOf("--stack") + 1]}`)
            .sort();
    return {
        dir,
        root,
        git,
        calls,
        operations,
        run: (argv: string[]) => runInProcess("fleet", fleetCommand, argv, root),
    };
}

describe("npm run fleet", () => {
    test("preview runs every host stack of the environment, with the policy pack, one line each", async () => {
        const p = project();
        const result = await p.run(["preview", "-e", "prod"]);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(p.operations()).toEqual(["preview prod-a", "preview prod-b"]);
        const preview = p.calls().find((a) => a[0] === "preview")!;
        expect(preview[preview.indexOf("--policy-pack") + 1]).toBe(path.join(p.root, "policy"));
        const lines = result.stdout.trimEnd().split("\n");
        expect(lines[0].split(/\s{2,}/)).toEqual(["HOST", "RESULT", "DURATION", "DETAIL"]);
        expect(lines.slice(1).map((l) => l.split(/\s{2,}/))).toEqual([
            ["prod-a", "ok", expect.stringMatching(/^\d+\.\d s$/), "1 create, 1 update, 3 same"],
            ["prod-b", "ok", expect.stringMatching(/^\d+\.\d s$/), "1 create, 1 update, 3 same"],
        ]);
    });

    test("a failing host fails the run and says why; the other hosts still run", async () => {
        const p = project({ version: `v${pinnedPulumiVersion}`, fail: ["prod-a"] });
        const result = await p.run(["up", "-e", "prod", "--parallel", "1"]);
        expect(result.status).toBe(1);
        expect(p.operations()).toEqual(["up prod-a", "up prod-b"]);
        const line = (host: string) =>
            result.stdout
                .split("\n")
                .find((l) => l.startsWith(`${host} `))!
                .split(/\s{2,}/);
        expect(line("prod-a")[1]).toBe("failed");
        expect(line("prod-a")[3]).toMatch(/error: up of prod-a failed: the fake was told to fail/);
        expect(line("prod-b")).toEqual(["prod-b", "ok", expect.any(String), "1 create, 1 update, 3 same"]);
    });

    test("--changed previews only the hosts a git range touches", async () => {
        const p = project();
        p.git("checkout", "-q", "-b", "feature");
        fs.writeFileSync(
            path.join(p.root, "tenants/shop-b.yaml"),
            tenantYaml("shop-b", { stacks: ["prod-b"], resources: { memoryMb: 256 } }),
        );
        fs.writeFileSync(path.join(p.root, "NOTES.md"), "notes\n");
        p.git("commit", "-q", "-am", "shop-b gets more memory");
        p.git("add", "NOTES.md");
        p.git("commit", "-q", "-m", "notes");

        const result = await p.run(["preview", "-e", "prod", "--changed", "main...feature"]);
        expect(result.status).toBe(0);
        expect(p.operations()).toEqual(["preview prod-b"]);
        expect(result.stderr).toBe("fleet: prod-b changed by tenants/shop-b.yaml\n");

        const none = await p.run(["preview", "-e", "prod", "--changed", "feature~1..feature"]);
        expect(none).toMatchObject({
            status: 0,
            stdout: "no host of prod is affected by feature~1..feature\n",
        });
    });

    test("--comment writes the pull request's comment: each previewed host's changes, even when one failed", async () => {
        const p = project({ version: `v${pinnedPulumiVersion}`, fail: ["prod-a"] });
        const file = path.join(p.dir, "preview.md");
        const result = await p.run(["preview", "-e", "prod", "--comment", file]);
        expect(result.status).toBe(1);
        const comment = fs.readFileSync(file, "utf8");
        expect(comment).toMatch(/^<!-- zeptoclaw-fleet preview -->\n### Fleet preview: prod\n/);
        expect(comment).toContain("Previewed every host of prod (2).");
        expect(comment).toContain("| prod-a | **failed** |  |  |  |  |  |");
        expect(comment).toContain("| prod-b | ok | 1 | 1 | 0 | 0 | 3 |");
        expect(comment).toMatch(/^- \*\*prod-a\*\* failed: .*the fake was told to fail/m);
        expect(await p.run(["up", "-e", "prod", "--comment", file])).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(/--comment takes a file, and goes with preview only/),
        });
    });

    test("status runs npm run status for each host, no Pulumi operation, and fails the hosts it cannot read", async () => {
        const p = project();
        const result = await p.run(["status", "-e", "prod", "--parallel", "1"]);
        expect(result.status).toBe(1);
        const lines = result.stdout.trimEnd().split("\n").slice(1);
        expect(lines.map((l) => l.split(/\s{2,}/).slice(0, 2))).toEqual([
            ["prod-a", "failed"],
            ["prod-b", "failed"],
        ]);
        // Each line says why that host's status failed: here, no stack outputs to reach an engine.
        for (const line of lines) {
            expect(line.split(/\s{2,}/)[3]).toMatch(
                /has no outputs: it has not been deployed yet \(pulumi up/,
            );
        }
        expect(p.operations()).toEqual([]);
        // One choice of the CLI for the environment, not one per host; both hosts read their outputs with it.
        expect(p.calls().filter((a) => a[0] === "version")).toHaveLength(1);
        expect(p.calls().filter((a) => a[0] === "stack" && a[1] === "output")).toHaveLength(2);

        // --html: one page for the environment's hosts, each host not read saying why.
        const file = path.join(p.dir, "status.html");
        expect((await p.run(["status", "-e", "prod", "--html", file])).status).toBe(1);
        const html = fs.readFileSync(file, "utf8");
        expect(html).toContain("2 host(s), 0 tenant(s)");
        expect(html.match(/<section class="host failed" data-host="prod-[ab]">/g)).toHaveLength(2);
        expect(await p.run(["preview", "-e", "prod", "--html", file])).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(/--html takes a file, and goes with status only/),
        });
    });

    test("refuses an unknown environment, naming the known ones, before running anything", async () => {
        const p = project();
        const result = await p.run(["preview", "-e", "staging"]);
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(
            /^fleet: no stack belongs to environment "staging" \(known environments: dev, prod\)/,
        );
        expect(fs.existsSync(path.join(p.dir, "state/calls.log"))).toBe(false);
    });

    test("without a recent enough pulumi on PATH, the pinned version from ~/.pulumi/versions is driven", async () => {
        const p = project({ version: "v3.200.0" });
        const home = path.join(p.dir, "home");
        installFake(
            path.join(home, ".pulumi/versions", pinnedPulumiVersion, "bin"),
            path.join(p.dir, "pinned"),
            {
                version: `v${pinnedPulumiVersion}`,
            },
        );
        process.env.HOME = home;
        const result = await p.run(["preview", "-e", "prod"]);
        expect(result.stderr).toBe(
            `fleet: using Pulumi CLI ${pinnedPulumiVersion} from ${path.join(home, ".pulumi/versions", pinnedPulumiVersion)} (pulumi on PATH is 3.200.0, this project drives ${pinnedPulumiVersion} or a newer 3.x)\n`,
        );
        expect(result.status).toBe(0);
        // The old CLI was asked its version only; the pinned one ran the previews.
        expect(p.calls()).toEqual([["version"]]);
        const pinnedCalls = fs.readFileSync(path.join(p.dir, "pinned/calls.log"), "utf8");
        expect(pinnedCalls).toContain('"preview"');
    });
});

/** A new tenant's file as an operator writes it: comments, a flow list, `prod` still to be placed. */
function waitingTenant(name: string, memoryReservationMb: number): string {
    return [
        `# ${name}: placed by npm run fleet -- place`,
        `name: ${name}`,
        "stacks: [dev, prod] # dev to try it, prod for real",
        "zeptoclaw:",
        "    providers:",
        "        anthropic:",
        "            api_key: { secret: anthropicApiKey }",
        "    channels:",
        "        telegram:",
        "            enabled: true",
        "            token: { secret: telegramBotToken } # set with pulumi config set --secret",
        "resources:",
        `    memoryReservationMb: ${memoryReservationMb} # its measured peak`,
        `    memoryMb: ${memoryReservationMb}`,
        "",
    ].join("\n");
}

/**
 * A project whose environment prod has a Hetzner host prod-a (cx22: 4096 MB, 512 kept for the
 * OS, a 10 GB data Volume) running shop-a, and a local engine prod-b of 2048 MB; dev on its own.
 * `tenants` are more tenant files, by name.
 */
function placeProject(tenants: Record<string, string>) {
    const dir = tempDir("zc-fleet-place-");
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, "tenants"));
    fs.copyFileSync(path.join(repo, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(
        path.join(dir, "Pulumi.prod-a.yaml"),
        [
            "config:",
            "    zeptoclaw-fleet:environment: prod",
            "    zeptoclaw-fleet:hostKind: hetzner",
            "    zeptoclaw-fleet:hostName: prod-a",
            "    zeptoclaw-fleet:serverType: cx22",
            "    zeptoclaw-fleet:dataVolumeGb: 10",
            "    zeptoclaw-fleet:sshAllowedCidrs: [203.0.113.0/24]",
            "    zeptoclaw-fleet:sshPublicKeys:",
            "        - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBqp7Pw1j2mV7qFx0kqmCk2rE1vV9Qm6b0fA8f3o6c1H ops@example.com",
            "",
        ].join("\n"),
    );
    fs.writeFileSync(
        path.join(dir, "Pulumi.prod-b.yaml"),
        "config:\n    zeptoclaw-fleet:environment: prod\n    zeptoclaw-fleet:hostMemoryMb: 2048\n",
    );
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n    zeptoclaw-fleet:hostKind: local\n");
    fs.writeFileSync(
        path.join(dir, "tenants/shop-a.yaml"),
        tenantYaml("shop-a", { stacks: ["prod-a", "dev"] }),
    );
    for (const [name, text] of Object.entries(tenants)) {
        fs.writeFileSync(path.join(dir, `tenants/${name}.yaml`), text);
    }
    const asked: string[] = [];
    const serverTypes = (): Promise<ServerTypeInfo[]> => {
        asked.push("server types");
        return Promise.resolve(serverTypeInfosFixture);
    };
    return {
        dir,
        asked,
        read: (name: string) => fs.readFileSync(path.join(dir, `tenants/${name}.yaml`), "utf8"),
        place: () =>
            runInProcess(
                "fleet",
                (argv, context) => fleetCommand(argv, context, { serverTypes }),
                ["place", "-e", "prod"],
                dir,
            ),
    };
}

describe("npm run fleet -- place", () => {
    test("places each new tenant on the host with the most free memory, rewriting only its stacks entry", async () => {
        const shopX = waitingTenant("shop-x", 2100);
        const shopY = waitingTenant("shop-y", 100);
        // Placed already, on prod-b: the leftover "prod" in its list is preview's to refuse.
        const shopW = tenantYaml("shop-w", { stacks: ["prod-b", "prod"] });
        const p = placeProject({ "shop-w": shopW, "shop-x": shopX, "shop-y": shopY });
        const shopA = p.read("shop-a");

        const result = await p.place();
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        // prod-a: 3584 MB for tenants, shop-a takes 36, so shop-x (2104) goes there and leaves
        // 1444; prod-b: 1536, shop-w takes 36, so shop-y (104) goes there and leaves 1396.
        expect(result.stdout.split("\n").slice(0, 2)).toEqual([
            "shop-x → prod-a (free after: 1444 MB, 8.0 GB disk)",
            "shop-y → prod-b (free after: 1396 MB)",
        ]);
        expect(p.read("shop-x")).toBe(shopX.replace("stacks: [dev, prod] #", "stacks: [dev, prod-a] #"));
        expect(p.read("shop-y")).toBe(shopY.replace("stacks: [dev, prod] #", "stacks: [dev, prod-b] #"));
        expect(p.read("shop-a")).toBe(shopA);
        expect(p.read("shop-w")).toBe(shopW);
        expect(p.asked).toEqual(["server types"]);

        // Placed tenants stay placed: a second run has nothing to do and writes nothing.
        const again = await p.place();
        expect(again).toMatchObject({ status: 0, stdout: "every tenant of prod is on one of its hosts\n" });
        expect(p.read("shop-x")).toBe(shopX.replace("[dev, prod]", "[dev, prod-a]"));
    });

    test("when a tenant fits on no host, no file is written and the server type to add is named", async () => {
        const shopX = waitingTenant("shop-x", 100);
        const shopZ = waitingTenant("shop-z", 3600);
        const p = placeProject({ "shop-x": shopX, "shop-z": shopZ });
        const result = await p.place();
        expect(result.status).toBe(1);
        expect(result.stdout).toBe("");
        expect(result.stderr).toMatch(
            /^fleet: nothing placed, no file written: 1 tenant fits on no host of prod:\n/,
        );
        expect(result.stderr).toContain("tenants/shop-z.yaml needs 3604 MB of memory");
        expect(result.stderr).toContain("add a host stack with serverType cx32 (8192 MB)");
        expect(p.read("shop-x")).toBe(shopX);
        expect(p.read("shop-z")).toBe(shopZ);
    });

    test("a Hetzner host's memory needs HCLOUD_TOKEN: without it, place says to export it and writes nothing", async () => {
        const shopX = waitingTenant("shop-x", 100);
        const p = placeProject({ "shop-x": shopX });
        delete process.env.HCLOUD_TOKEN;
        const result = await runInProcess("fleet", fleetCommand, ["place", "-e", "prod"], p.dir);
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/^fleet: .*export HCLOUD_TOKEN=/);
        expect(p.read("shop-x")).toBe(shopX);
    });

    test("a single-host stack named like its environment keeps its tenants as they are", async () => {
        const dir = tempDir("zc-fleet-place-");
        dirs.push(dir);
        fs.mkdirSync(path.join(dir, "tenants"));
        fs.copyFileSync(path.join(repo, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        // The shipped prod: a Hetzner server. With nothing to place, Hetzner is not asked.
        fs.copyFileSync(path.join(repo, "Pulumi.prod.yaml"), path.join(dir, "Pulumi.prod.yaml"));
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n    zeptoclaw-fleet:hostKind: local\n");
        const shopX = waitingTenant("shop-x", 100);
        fs.writeFileSync(path.join(dir, "tenants/shop-x.yaml"), shopX);
        const result = await runInProcess(
            "fleet",
            (argv, context) =>
                fleetCommand(argv, context, { serverTypes: () => Promise.reject(new Error("asked")) }),
            ["place", "-e", "prod"],
            dir,
        );
        expect(result).toEqual({
            status: 0,
            stdout: "every tenant of prod is on one of its hosts\n",
            stderr: "",
        });
        expect(fs.readFileSync(path.join(dir, "tenants/shop-x.yaml"), "utf8")).toBe(shopX);
    });

    test("an environment of local engines is placed by their hostMemoryMb, without asking Hetzner", async () => {
        const dir = tempDir("zc-fleet-place-");
        dirs.push(dir);
        fs.mkdirSync(path.join(dir, "tenants"));
        fs.copyFileSync(path.join(repo, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        for (const [stack, memory] of [
            ["lab-a", 1024],
            ["lab-b", 2048],
        ] as const) {
            fs.writeFileSync(
                path.join(dir, `Pulumi.${stack}.yaml`),
                `config:\n    zeptoclaw-fleet:environment: lab\n    zeptoclaw-fleet:hostMemoryMb: ${memory}\n`,
            );
        }
        fs.writeFileSync(path.join(dir, "tenants/shop-x.yaml"), tenantYaml("shop-x", { stacks: ["lab"] }));
        const result = await runInProcess(
            "fleet",
            (argv, context) =>
                fleetCommand(argv, context, { serverTypes: () => Promise.reject(new Error("asked")) }),
            ["place", "-e", "lab"],
            dir,
        );
        expect(result.stderr).toBe("");
        expect(result.stdout.split("\n")[0]).toBe("shop-x → lab-b (free after: 1500 MB)");
    });
});
