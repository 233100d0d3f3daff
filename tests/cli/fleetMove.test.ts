import * as fs from "node:fs";
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
                /^fleet: name the tenant and the host stack to move it to\nusage: npm run fleet -- move/,
            ],
            [["move", "shop-a", "prod-b", "--yes"], /name the tenant and the host stack/],
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
});
