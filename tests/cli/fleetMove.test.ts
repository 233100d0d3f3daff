import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fleetCommand } from "../../scripts/fleet";
import { runInProcess } from "../support/runInProcess";
import { tenantYaml } from "../support/tenantFiles";
import { tempDir } from "../support/tempDir";

const repo = path.resolve(__dirname, "..", "..");
const dirs: string[] = [];

afterAll(() => {
    for (const dir of dirs) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

/** prod-a and prod-b in environment prod, dev on its own; shop-a on prod-a and dev. */
function project() {
    const root = tempDir("zc-move-cli-");
    dirs.push(root);
    fs.mkdirSync(path.join(root, "tenants"));
    fs.copyFileSync(path.join(repo, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    for (const stack of ["prod-a", "prod-b"]) {
        fs.writeFileSync(
            path.join(root, `Pulumi.${stack}.yaml`),
            "config:\n    zeptoclaw-fleet:environment: prod\n",
        );
    }
    fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config:\n    zeptoclaw-fleet:hostKind: local\n");
    const text = tenantYaml("shop-a", { stacks: ["prod-a", "dev"] });
    fs.writeFileSync(path.join(root, "tenants/shop-a.yaml"), text);
    return { root, text, run: (argv: string[]) => runInProcess("fleet", fleetCommand, argv, root) };
}

describe("npm run fleet -- move", () => {
    test("refuses, before touching anything, a wrong command line, an unknown tenant or stack, a move to where it is", async () => {
        const p = project();
        const refusals: Array<[string[], RegExp]> = [
            [
                ["move", "shop-a"],
                /^fleet: name the tenant and the host stack to move it to, or the tenant and --abort\nusage: npm run fleet -- move/,
            ],
            [
                ["move", "shop-a", "prod-b", "--yes"],
                /^fleet: Unknown option '--yes'.*\nusage: npm run fleet -- move/,
            ],
            [["move", "shop-x", "prod-b"], /^fleet: no tenant "shop-x" in the tenant files\n$/],
            [
                ["move", "shop-a", "prod-c"],
                /"prod-c" is not a host stack of this project \(stacks: dev, prod-a, prod-b\)/,
            ],
            [["move", "shop-a", "prod-a"], /shop-a is already on prod-a \(tenants\/shop-a\.yaml: stacks\)/],
            [["move", "shop-a", "dev"], /shop-a is already on dev/],
        ];
        for (const [argv, message] of refusals) {
            const result = await p.run(argv);
            expect({ argv, status: result.status }).toEqual({ argv, status: 2 });
            expect(result.stderr).toMatch(message);
        }
        expect(fs.readFileSync(path.join(p.root, "tenants/shop-a.yaml"), "utf8")).toBe(p.text);
    });

    test("an unfinished move is the tenant's lock: another target, an abort of nothing, a live run are refused, nothing changed", async () => {
        const p = project();
        const journal = path.join(p.root, ".zeptoclaw-fleet/operations/tenant-shop-a.json");
        expect(await p.run(["move", "shop-a", "--abort"])).toMatchObject({
            status: 1,
            stderr: "fleet: shop-a has no unfinished move; nothing to undo\n",
        });
        expect(fs.existsSync(journal)).toBe(false);

        // A run of this machine that is still going (this test's parent process) moves it to prod-b.
        const plan = { tenant: "shop-a", source: "prod-a", target: "prod-b", steps: [{}, {}, {}] };
        const owner = { host: os.hostname(), pid: process.ppid, since: "2026-12-07T03:00:00.000Z" };
        const held = JSON.stringify({ owner, entry: { plan, progress: { done: 1, begun: true } } });
        fs.mkdirSync(path.dirname(journal), { recursive: true });
        fs.writeFileSync(journal, held);
        const elsewhere = await p.run(["move", "shop-a", "dev"]);
        expect(elsewhere.status).toBe(1);
        expect(elsewhere.stderr).toBe(
            "fleet: shop-a has an unfinished move to prod-b (1 of 3 steps done); finish it (npm run fleet -- move shop-a prod-b) " +
                "or undo it (npm run fleet -- move shop-a --abort) first; nothing was changed\n",
        );
        const running = await p.run(["move", "shop-a", "prod-b"]);
        expect(running.status).toBe(1);
        expect(running.stderr).toMatch(
            new RegExp(
                `^fleet: shop-a is being moved by process ${process.ppid} on ${os.hostname()}, since 2026-12-07T03:00:00.000Z; wait for it`,
            ),
        );
        expect(fs.readFileSync(journal, "utf8")).toBe(held);
        expect(fs.readFileSync(path.join(p.root, "tenants/shop-a.yaml"), "utf8")).toBe(p.text);
    });
});
