import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fleetCommand } from "../../scripts/fleet";
import { runInProcess } from "../support/runInProcess";
import { tenantYaml } from "../support/tenantFiles";

const repo = path.resolve(__dirname, "..", "..");
const fakePulumi = path.join(repo, "tests/fixtures/fake-pulumi/pulumi.js");
const sdkVersion = (require("@pulumi/pulumi/package.json") as { version: string }).version;

jest.setTimeout(60_000);

const dirs: string[] = [];
const savedEnv = { PATH: process.env.PATH, HOME: process.env.HOME };

afterEach(() => {
    process.env.PATH = savedEnv.PATH;
    process.env.HOME = savedEnv.HOME;
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
    settings: { version: string; fail?: string[]; lastKind?: string } = { version: `v${sdkVersion}` },
) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zc-fleet-cli-"));
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
        const p = project({ version: `v${sdkVersion}`, fail: ["prod-a"] });
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
            expect(line.split(/\s{2,}/)[3]).toMatch(/pulumi/i);
        }
        expect(p.operations()).toEqual([]);
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
        installFake(path.join(home, ".pulumi/versions", sdkVersion, "bin"), path.join(p.dir, "pinned"), {
            version: `v${sdkVersion}`,
        });
        process.env.HOME = home;
        const result = await p.run(["preview", "-e", "prod"]);
        expect(result.stderr).toBe(
            `fleet: using Pulumi CLI ${sdkVersion} from ${path.join(home, ".pulumi/versions", sdkVersion)} (pulumi on PATH is 3.200.0, this project drives ${sdkVersion} or a newer 3.x)\n`,
        );
        expect(result.status).toBe(0);
        // The old CLI was asked its version only; the pinned one ran the previews.
        expect(p.calls()).toEqual([["version"]]);
        const pinnedCalls = fs.readFileSync(path.join(p.dir, "pinned/calls.log"), "utf8");
        expect(pinnedCalls).toContain('"preview"');
    });
});
