import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { drainCommand } from "../../scripts/fleetDrain";
import { FakeHosts } from "../support/fakeHosts";
import { runInProcess } from "../support/runInProcess";
import { tenantYaml } from "../support/tenantFiles";
import { tempDir } from "../support/tempDir";

const repo = path.resolve(__dirname, "..", "..");

/**
 * Environment prod of three local hosts of `memoryMb` (512 kept for the OS): a1, a2 and a3 on
 * prod-a, b1 on prod-b; each tenant takes 300 MB.
 */
function project(memoryMb = 2048) {
    const root = tempDir("zc-drain-");
    fs.copyFileSync(path.join(repo, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    for (const stack of ["prod-a", "prod-b", "prod-c"]) {
        fs.writeFileSync(
            path.join(root, `Pulumi.${stack}.yaml`),
            `config:\n    zeptoclaw-fleet:environment: prod\n    zeptoclaw-fleet:hostMemoryMb: ${memoryMb}\n`,
        );
    }
    fs.mkdirSync(path.join(root, "tenants"));
    const resources = { memoryReservationMb: 296, memoryMb: 512 };
    const write = (name: string, stack: string) =>
        fs.writeFileSync(
            path.join(root, `tenants/${name}.yaml`),
            tenantYaml(name, { stacks: [stack], resources }),
        );
    ["a1", "a2", "a3"].forEach((t) => write(t, "prod-a"));
    write("b1", "prod-b");
    const hosts = new FakeHosts(root, ["prod-a", "prod-b", "prod-c"])
        .runs("prod-a", "a1")
        .runs("prod-a", "a2");
    hosts.runs("prod-a", "a3").runs("prod-b", "b1");
    const stacksOf = (tenant: string) =>
        /\nstacks:\n((?: {2}- .*\n)+)/
            .exec(fs.readFileSync(path.join(root, `tenants/${tenant}.yaml`), "utf8"))![1]
            .trim()
            .split("\n")
            .map((l) => l.replace(/^- /, "").trim());
    const run = (argv: string[]) =>
        runInProcess(
            "fleet",
            (args, context) =>
                drainCommand(args, root, context, {
                    serverTypes: () => Promise.reject(new Error("no Hetzner host here")),
                    reach: () => Promise.resolve(hosts.reached()),
                }),
            argv,
            root,
        );
    return {
        root,
        hosts,
        stacksOf,
        run,
        journals: () => fs.readdirSync(path.join(root, ".zeptoclaw-fleet/operations")),
    };
}

describe("npm run fleet -- drain", () => {
    test("--dry-run prints where each tenant goes and changes nothing", async () => {
        const p = project();
        const result = await p.run(["prod-a", "--dry-run"]);
        expect(result).toMatchObject({ status: 0, stderr: "" });
        expect(result.stdout).toBe(
            [
                "drain: draining prod-a (environment prod): 3 tenant(s), one after the other",
                "drain:   1 of 3: a1 (tenants/a1.yaml) to prod-c",
                "drain:   2 of 3: a2 (tenants/a2.yaml) to prod-b",
                "drain:   3 of 3: a3 (tenants/a3.yaml) to prod-c",
                "",
            ].join("\n"),
        );
        expect(p.hosts.calls).toEqual([]);
        expect(fs.existsSync(path.join(p.root, ".zeptoclaw-fleet"))).toBe(false);
    });

    test("moves every tenant off the host, one after the other, with its data and secrets, and leaves no journal", async () => {
        const p = project();
        const result = await p.run(["prod-a"]);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(result.stdout).toMatch(/^drain: tenant 2 of 3: a2 to prod-b$/m);
        expect(result.stdout).toMatch(/^drain: prod-a runs no tenant now/m);
        expect(p.hosts.running()).toEqual({ a1: ["prod-c"], a2: ["prod-b"], a3: ["prod-c"], b1: ["prod-b"] });
        expect(["a1", "a2", "a3"].map(p.stacksOf)).toEqual([["prod-c"], ["prod-b"], ["prod-c"]]);
        expect([...p.hosts.volumes.get("prod-c")!].sort()).toEqual(["a1-data", "a3-data"]);
        // The old volumes stay, for the way back.
        expect([...p.hosts.volumes.get("prod-a")!].sort()).toEqual(["a1-data", "a2-data", "a3-data"]);
        expect(p.hosts.secrets.get("prod-b")!.a2).toEqual({
            anthropicApiKey: "key-a2",
            telegramBotToken: "token-a2",
        });
        expect(p.journals()).toEqual([]);
    });

    test("a move that fails stops the drain; the next run goes on from that tenant and moves no tenant twice", async () => {
        const p = project();
        p.hosts.failing.add("ready prod-b zc-a2");
        const stopped = await p.run(["prod-a"]);
        expect(stopped.status).toBe(1);
        expect(stopped.stdout).toMatch(
            /^drain: stopped at tenant 2 of 3 \(a2\); run npm run fleet -- drain prod-a again to go on from there$/m,
        );
        expect(p.journals().sort()).toEqual(["host-prod-a.json", "tenant-a2.json"]);
        const again = await p.run(["prod-a"]);
        expect(again.status).toBe(0);
        expect(again.stdout).toMatch(/^drain: taking up the drain of prod-a: 1 of 3 tenant\(s\) moved$/m);
        expect(again.stdout).toMatch(/^drain: a2: taking up where a run was stopped: 7 of 9 steps done$/m);
        expect(p.hosts.calls.filter((c) => c.startsWith("copy"))).toEqual([
            "copy prod-a prod-c a1-data",
            "copy prod-a prod-b a2-data",
            "copy prod-a prod-c a3-data",
        ]);
        expect(p.hosts.running()).toEqual({ a1: ["prod-c"], a2: ["prod-b"], a3: ["prod-c"], b1: ["prod-b"] });
        expect(p.journals()).toEqual([]);
    });

    test("refuses an unknown host, a host the others cannot take, and a drain another run holds; nothing changes", async () => {
        const p = project();
        expect(await p.run(["prod-x"])).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(
                /^fleet: "prod-x" is not a host stack of this project \(stacks: prod-a, prod-b, prod-c\)/,
            ),
        });
        const small = project(1024);
        // prod-b and prod-c have 512 MB for tenants: prod-b holds b1, so 212 + 512 left for 900 MB.
        const full = await small.run(["prod-a"]);
        expect(full.status).toBe(2);
        expect(full.stderr).toMatch(
            /cannot take prod-a's 3 tenant\(s\): they need 900 MB of memory .* 724 MB of memory left; 176 MB of memory is missing/,
        );
        expect(small.hosts.calls).toEqual([]);

        const journal = path.join(p.root, ".zeptoclaw-fleet/operations/host-prod-a.json");
        fs.mkdirSync(path.dirname(journal), { recursive: true });
        const owner = { host: os.hostname(), pid: process.ppid, since: "2026-12-07T03:00:00.000Z" };
        fs.writeFileSync(
            journal,
            JSON.stringify({
                owner,
                entry: {
                    plan: {
                        host: "prod-a",
                        environment: "prod",
                        moves: [{ tenant: "a1", file: "tenants/a1.yaml", target: "prod-b" }],
                    },
                    done: 0,
                },
            }),
        );
        const held = await p.run(["prod-a"]);
        expect(held.status).toBe(1);
        expect(held.stderr).toMatch(
            new RegExp(`^fleet: prod-a is being drained by process ${process.ppid} on `),
        );
        expect(p.hosts.calls).toEqual([]);
    });
});
