import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { create } from "ts-node";
import { writeBenchTenants } from "../../bench/benchTenants";
import { pulumiNodeArgs } from "../../bench/pulumiNodeArgs";
import { pulumiTsNodeOptions } from "../../bench/pulumiTsNode";
import { tempDir } from "../support/tempDir";

const repo = path.resolve(__dirname, "..", "..");

describe("the program as the Pulumi CLI runs it", () => {
    // A type error the CLI would refuse if it type-checked: `npm run typecheck` catches it in CI.
    const withTypeError = 'const n: number = "not a number";\nexport = n;\n';

    test("is transpiled by swc, not type-checked, with the project's tsconfig", () => {
        const service = create(pulumiTsNodeOptions(repo, {}));
        expect(service.options.transpileOnly).toBe(true);
        expect(service.options.swc).toBe(true);
        expect(() => service.compile(withTypeError, path.join(repo, "typeError.ts"))).not.toThrow();
    });

    test("PULUMI_NODEJS_TRANSPILE_ONLY=false is refused by ts-node, naming swc", () => {
        expect(() => create(pulumiTsNodeOptions(repo, { PULUMI_NODEJS_TRANSPILE_ONLY: "false" }))).toThrow(
            /'swc' implies 'transpileOnly'/,
        );
    });

    test("starts with Pulumi.yaml's Node flags, which this Node takes", () => {
        const args = pulumiNodeArgs(repo);
        expect(args).toEqual(["--max-semi-space-size=8"]);
        // Node refuses a flag it does not know, before running anything (exit status 9).
        const run = spawnSync(process.execPath, [...args, "-e", "0"], { encoding: "utf8" });
        expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
        expect(spawnSync(process.execPath, ["--max-semi-space-sise=8", "-e", "0"]).status).toBe(9);
    });

    test("evaluates the whole program when registered as the CLI registers it", () => {
        // bench/evaluateProgram.ts runs index.ts under mocks with 3 tenant files, 2 on this stack.
        const tenants = tempDir("zc-ts-node-");
        writeBenchTenants(tenants, 3, 2);
        const run = spawnSync(
            process.execPath,
            [
                ...pulumiNodeArgs(repo),
                "-r",
                path.join(repo, "bench", "registerPulumiTsNode.js"),
                path.join(repo, "bench", "evaluateProgram.ts"),
                tenants,
                "2",
            ],
            { cwd: repo, encoding: "utf8" },
        );
        expect(run.stderr).toBe("");
        expect(run.status).toBe(0);
        expect(JSON.parse(run.stdout)).toMatchObject({ tenants: 2, tenantFiles: 3 });
    });
});
