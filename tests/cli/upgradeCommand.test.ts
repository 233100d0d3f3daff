import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { upgradeCommand } from "../../scripts/upgrade";
import { runInProcess } from "../support/runInProcess";
import { runScript } from "../support/runScript";
import { tenantYaml } from "../support/tenantFiles";
import { pinnedPulumiVersion } from "../support/fakePulumi";
import { tempDir } from "../support/tempDir";

const repo = path.resolve(__dirname, "..", "..");
const workspaces: string[] = [];

afterAll(() => {
    for (const dir of workspaces) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

/**
 * The fleet the fakes deploy: each tenant's ring index, and the version its container runs.
 * The fake `pulumi` keeps imageRings and, at `up`, recreates the container of every tenant whose
 * ring's version changed (a new id), failing as the provider's wait does when one of them is a
 * "-neverready" version; the fake `docker inspect` shows those containers, healthy unless their
 * version never becomes ready.
 */
interface FakeFleet {
    entries: string[];
    stackVersion: string;
    tenants: Record<string, { ring: number; version: string; id: number }>;
}

const fakePulumi = (state: string, log: string, outputs: string) => `#!/usr/bin/env node
const fs = require("fs");
const args = process.argv.slice(2);
if (args[0] === "version") {
    console.log("v${pinnedPulumiVersion}");
    process.exit(0);
}
fs.appendFileSync(${JSON.stringify(log)}, "pulumi " + args.join(" ") + "\\n");
const state = JSON.parse(fs.readFileSync(${JSON.stringify(state)}, "utf8"));
const save = () => fs.writeFileSync(${JSON.stringify(state)}, JSON.stringify(state));
if (args[0] === "stack" && args[1] === "output") {
    process.stdout.write(${JSON.stringify(outputs)});
} else if (args[0] === "config" && args[1] === "set") {
    state.entries[Number(/^imageRings\\[(\\d+)\\]$/.exec(args[3])[1])] = args[4];
    save();
} else if (args[0] === "up") {
    let failed = [];
    for (const [name, t] of Object.entries(state.tenants)) {
        const version = state.entries[t.ring].split("=")[1] ?? state.stackVersion;
        if (version !== t.version) {
            t.version = version;
            t.id += 1;
            console.log("replaced zc-" + name);
        }
        if (version.endsWith("-neverready")) failed.push(name);
    }
    save();
    if (failed.length > 0) {
        console.error("error: container zc-" + failed[0] + " failed to be in healthy state");
        process.exit(255);
    }
} else {
    process.exit(1);
}
`;

const fakeDocker = (state: string, log: string) => `#!/usr/bin/env node
const fs = require("fs");
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, "docker " + args.join(" ") + " DOCKER_HOST=" + process.env.DOCKER_HOST + "\\n");
if (args[0] === "info") {
    // The host's cores: 2.
    console.log(2);
    process.exit(0);
}
const state = JSON.parse(fs.readFileSync(${JSON.stringify(state)}, "utf8"));
const names = args.slice(3);
const found = names.filter((n) => state.tenants[n.slice(3)] !== undefined).map((n) => {
    const t = state.tenants[n.slice(3)];
    const bad = t.version.endsWith("-neverready");
    return {
        Name: "/" + n,
        Config: { Labels: { "com.zeptoclaw.version": t.version } },
        State: {
            Status: "running",
            ExitCode: 0,
            Health: {
                Status: bad ? "unhealthy" : "healthy",
                Log: [{ ExitCode: bad ? 8 : 0, Output: bad ? "wget: server returned error: HTTP/1.1 503 Service Unavailable\\n" : "" }],
            },
        },
    };
});
process.stdout.write(JSON.stringify(found));
if (found.length < names.length) process.exit(1);
`;

function workspace(
    rings: string[] | undefined,
    tenants: Record<string, string | undefined>,
    outputs: Record<string, unknown> = { hostName: "local", dockerHost: "unix:///var/run/zc-fake.sock" },
) {
    const dir = tempDir("zc-upgrade-cli-");
    workspaces.push(dir);
    for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"]) {
        fs.copyFileSync(path.join(repo, f), path.join(dir, f));
    }
    if (rings !== undefined) {
        fs.appendFileSync(
            path.join(dir, "Pulumi.dev.yaml"),
            `    zeptoclaw-fleet:imageRings: ${JSON.stringify(rings)}\n`,
        );
    }
    fs.mkdirSync(path.join(dir, "tenants"));
    const entries = rings ?? ["main"];
    const ringIndex = (ring: string | undefined) =>
        entries.findIndex((e) => e.split("=")[0] === (ring ?? "main"));
    const fleet: FakeFleet = { entries, stackVersion: "0.9.2", tenants: {} };
    for (const [name, ring] of Object.entries(tenants)) {
        fs.writeFileSync(
            path.join(dir, `tenants/${name}.yaml`),
            tenantYaml(name, { stacks: ["dev"], ...(ring === undefined ? {} : { ring }) }),
        );
        const entry = entries[ringIndex(ring)] ?? "";
        fleet.tenants[name] = { ring: ringIndex(ring), version: entry.split("=")[1] ?? "0.9.2", id: 1 };
    }
    const state = path.join(dir, "fleet.json");
    fs.writeFileSync(state, JSON.stringify(fleet));
    const log = path.join(dir, "calls.log");
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "pulumi"), fakePulumi(state, log, JSON.stringify(outputs)), {
        mode: 0o755,
    });
    fs.writeFileSync(path.join(bin, "docker"), fakeDocker(state, log), { mode: 0o755 });
    return {
        dir,
        /** The command in this process, for its refusals before any tool runs. */
        runHere: (args: string[]) => runInProcess("upgrade", upgradeCommand, args, dir),
        /** As `npm run upgrade` runs it: its own process, with the fakes first in PATH. */
        run: (args: string[]) => runScript("upgrade.ts", args, { cwd: dir, fakeBin: bin }),
        calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []),
        /** The stack's settings and the containers, as the fakes left them. */
        fleet: () => JSON.parse(fs.readFileSync(state, "utf8")) as FakeFleet,
        /** The pulumi calls that change something: config set and up. */
        changes: function () {
            return this.calls().filter((c) => /^pulumi (config set|up)/.test(c));
        },
    };
}

jest.setTimeout(60_000);

const threeRings = ["canary", "early", "main"];
const threeTenants = { "shop-a": "canary", "shop-b": "early", "shop-c": undefined, "shop-d": "main" };

describe("npm run upgrade", () => {
    test("moves one ring at a time, each after its tenants are ready on the version", () => {
        const w = workspace(threeRings, threeTenants);
        const result = w.run(["-s", "dev", "0.9.3"]);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(w.changes()).toEqual([
            "pulumi config set --path imageRings[0] canary=0.9.3 -s dev",
            "pulumi up --yes --skip-preview --parallel 4 -s dev",
            "pulumi config set --path imageRings[1] early=0.9.3 -s dev",
            "pulumi up --yes --skip-preview --parallel 4 -s dev",
            "pulumi config set --path imageRings[2] main=0.9.3 -s dev",
            "pulumi up --yes --skip-preview --parallel 4 -s dev",
        ]);
        // The host's cores first, then readiness after each up, from the engine the stack's outputs name.
        expect(w.calls().filter((c) => c.startsWith("docker"))).toEqual([
            "docker info --format {{.NCPU}} DOCKER_HOST=unix:///var/run/zc-fake.sock",
            "docker inspect --type container zc-shop-a DOCKER_HOST=unix:///var/run/zc-fake.sock",
            "docker inspect --type container zc-shop-b DOCKER_HOST=unix:///var/run/zc-fake.sock",
            "docker inspect --type container zc-shop-c zc-shop-d DOCKER_HOST=unix:///var/run/zc-fake.sock",
        ]);
        expect(result.stdout.split("\n").filter((l) => l.startsWith("upgrade: "))).toEqual([
            "upgrade: replacing at most 4 tenants at once (pulumi up --parallel)",
            "upgrade: ring canary (1 tenant): 0.9.2 -> 0.9.3",
            "upgrade: ring canary: 1 tenant ready on 0.9.3",
            "upgrade: ring early (1 tenant): 0.9.2 -> 0.9.3",
            "upgrade: ring early: 1 tenant ready on 0.9.3",
            "upgrade: ring main (2 tenants): 0.9.2 -> 0.9.3",
            "upgrade: ring main: 2 tenants ready on 0.9.3",
            "upgrade: upgrade to 0.9.3 done: canary, early, main ready on it",
        ]);
        // pulumi up's own output is shown as it runs.
        expect(result.stdout).toMatch(/replaced zc-shop-a\n/);
        expect(w.fleet().entries).toEqual(["canary=0.9.3", "early=0.9.3", "main=0.9.3"]);
    });

    test("a version the canary ring does not become ready on is rolled back there, with the reason; later rings never see it", () => {
        const w = workspace(threeRings, threeTenants);
        const result = w.run(["-s", "dev", "0.9.3-neverready"]);
        expect(result.status).toBe(1);
        expect(w.changes()).toEqual([
            "pulumi config set --path imageRings[0] canary=0.9.3-neverready -s dev",
            "pulumi up --yes --skip-preview --parallel 4 -s dev",
            "pulumi config set --path imageRings[0] canary -s dev",
            "pulumi up --yes --skip-preview --parallel 4 -s dev",
        ]);
        expect(result.stdout.split("\n").filter((l) => l.startsWith("upgrade: "))).toEqual([
            "upgrade: replacing at most 4 tenants at once (pulumi up --parallel)",
            "upgrade: ring canary (1 tenant): 0.9.2 -> 0.9.3-neverready",
            "upgrade: ring canary did not become ready on 0.9.3-neverready:",
            "upgrade:   shop-a: unhealthy (last probe exit 8: wget: server returned error: HTTP/1.1 503 Service Unavailable)",
            "upgrade:   pulumi up: failed (exit status 255): error: container zc-shop-a failed to be in healthy state",
            "upgrade: rolling ring canary back to 0.9.2",
            "upgrade: ring canary is back on 0.9.2: 1 tenant ready",
            "upgrade: upgrade to 0.9.3-neverready stopped at ring canary; not touched: early (0.9.2), main (0.9.2)",
        ]);
        const fleet = w.fleet();
        expect(fleet.entries).toEqual(threeRings);
        expect(fleet.tenants["shop-a"]).toEqual({ ring: 0, version: "0.9.2", id: 3 });
        for (const t of ["shop-b", "shop-c", "shop-d"]) {
            expect(fleet.tenants[t]).toEqual({ ring: expect.any(Number), version: "0.9.2", id: 1 });
        }
    });

    test("a ring already on the version is left alone, a ring on another one moves", () => {
        const w = workspace(["canary=0.9.3-neverready", "main"], { "shop-a": "canary", "shop-c": undefined });
        // The canary already runs a version that is never ready: moving it back to 0.9.2 works,
        // and the upgrade to 0.9.2 is done for both rings (main is already there).
        const result = w.run(["-s", "dev", "0.9.2"]);
        expect(result.status).toBe(0);
        expect(w.changes()).toEqual([
            "pulumi config set --path imageRings[0] canary=0.9.2 -s dev",
            "pulumi up --yes --skip-preview --parallel 4 -s dev",
        ]);
        expect(result.stdout).toMatch(
            /upgrade: upgrade to 0\.9\.2 done: canary ready on it \(main already ran it\)\n/,
        );
    });

    test("a stack without rings upgrades its one ring, main", () => {
        const w = workspace(undefined, { "shop-c": undefined });
        expect(w.run(["-s", "dev", "0.9.3"]).status).toBe(0);
        expect(w.changes()).toEqual([
            "pulumi config set --path imageRings[0] main=0.9.3 -s dev",
            "pulumi up --yes --skip-preview --parallel 4 -s dev",
        ]);
    });

    test("a killed upgrade is taken up from its journal by the same command, and another version is refused", async () => {
        const w = workspace(threeRings, threeTenants);
        // What a run killed in ring early left: canary moved and ready, early's entry set.
        const fleet = w.fleet();
        fleet.entries = ["canary=0.9.3", "early=0.9.3", "main"];
        fleet.tenants["shop-a"] = { ...fleet.tenants["shop-a"], version: "0.9.3", id: 2 };
        fs.writeFileSync(path.join(w.dir, "fleet.json"), JSON.stringify(fleet));
        const move = (ring: string, index: number, names: string[]) => ({
            ring,
            index,
            tenants: names,
            from: { name: ring },
            fromVersion: "0.9.2",
            toVersion: "0.9.3",
        });
        const plan = {
            version: "0.9.3",
            moves: [
                move("canary", 0, ["shop-a"]),
                move("early", 1, ["shop-b"]),
                move("main", 2, ["shop-c", "shop-d"]),
            ],
            unchanged: [],
        };
        const journal = path.join(w.dir, ".zeptoclaw-fleet/operations/upgrade-dev.json");
        fs.mkdirSync(path.dirname(journal), { recursive: true });
        const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
        const owner = { host: os.hostname(), pid: gone, since: "2026-12-07T03:00:00.000Z" };
        const outcomes = [{ tenants: [{ tenant: "shop-a", ready: true }] }];
        fs.writeFileSync(journal, JSON.stringify({ owner, entry: { plan, outcomes } }));

        const other = await w.runHere(["-s", "dev", "0.9.4"]);
        expect(other.status).toBe(1);
        expect(other.stderr).toBe(
            "upgrade: dev has an unfinished upgrade to 0.9.3; finish it first (npm run upgrade -- -s dev 0.9.3); nothing was changed\n",
        );

        const result = w.run(["-s", "dev", "0.9.3"]);
        expect(result.status).toBe(0);
        expect(result.stdout).toMatch(
            /^upgrade: taking up the upgrade to 0\.9\.3 where a run was stopped: 1 ring step\(s\) recorded$/m,
        );
        expect(w.changes()).toEqual([
            "pulumi config set --path imageRings[1] early=0.9.3 -s dev",
            "pulumi up --yes --skip-preview --parallel 4 -s dev",
            "pulumi config set --path imageRings[2] main=0.9.3 -s dev",
            "pulumi up --yes --skip-preview --parallel 4 -s dev",
        ]);
        expect(fs.existsSync(journal)).toBe(false);
    });

    test("--parallel sets how many tenants one up replaces at once, instead of two per host core", () => {
        const w = workspace(undefined, { "shop-c": undefined });
        expect(w.run(["-s", "dev", "0.9.3", "--parallel", "1"]).status).toBe(0);
        expect(w.changes()).toEqual([
            "pulumi config set --path imageRings[0] main=0.9.3 -s dev",
            "pulumi up --yes --skip-preview --parallel 1 -s dev",
        ]);
        expect(w.calls().filter((c) => c.startsWith("docker info"))).toEqual([]);
    });

    test("refuses a wrong command line, an unknown ring and a stack it cannot reach, before changing anything", async () => {
        const w = workspace(threeRings, threeTenants);
        expect(await w.runHere(["0.9.3"])).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(
                /^upgrade: name the stack with -s <stack> \(known stacks: dev, prod\)\nusage: npm run upgrade/,
            ),
        });
        expect(await w.runHere(["-s", "dev"])).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(/^upgrade: name the one version to upgrade to\n/),
        });
        expect(await w.runHere(["-s", "dev", "0.9.3", "--timeout", "soon"])).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(/^upgrade: --timeout is a whole number of seconds, such as 105\n/),
        });
        expect(await w.runHere(["-s", "dev", "0.9.3", "--parallel", "0"])).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(
                /^upgrade: --parallel is a whole number of tenants replaced at once, 1 or more\n/,
            ),
        });
        expect(await w.runHere(["-s", "dev", "not/a/tag"])).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(
                /the stack cannot run not\/a\/tag in rings: .*is not a version tag/,
            ),
        });
        fs.writeFileSync(
            path.join(w.dir, "tenants/shop-e.yaml"),
            tenantYaml("shop-e", { stacks: ["dev"], ring: "beta" }),
        );
        const unknownRing = await w.runHere(["-s", "dev", "0.9.3"]);
        expect(unknownRing.status).toBe(2);
        expect(unknownRing.stderr).toMatch(
            /tenants\/shop-e\.yaml: ring: is "beta", a ring this stack does not define/,
        );
        expect(w.calls()).toEqual([]);

        const unreachable = workspace(threeRings, threeTenants, {});
        const refused = unreachable.run(["-s", "dev", "0.9.3"]);
        expect(refused.status).toBe(1);
        expect(refused.stderr).toMatch(
            /has no outputs: it has not been deployed yet.*; nothing was changed\n$/,
        );
        expect(unreachable.changes()).toEqual([]);
    });
});
