import * as path from "node:path";
import { create } from "ts-node";
import { pulumiTsNodeOptions } from "../../bench/pulumiTsNode";

const repo = path.resolve(__dirname, "..", "..");

describe("the program as the Pulumi CLI runs it", () => {
    // A type error the CLI would refuse if it type-checked: `npm run typecheck` catches it in CI.
    const withTypeError = 'const n: number = "not a number";\nexport = n;\n';

    test("is transpiled, not type-checked, with the project's tsconfig", () => {
        const service = create(pulumiTsNodeOptions(repo, {}));
        expect(service.options.transpileOnly).toBe(true);
        expect(() => service.compile(withTypeError, path.join(repo, "typeError.ts"))).not.toThrow();
    });

    test("is type-checked when the operator asks with PULUMI_NODEJS_TRANSPILE_ONLY=false", () => {
        const service = create(pulumiTsNodeOptions(repo, { PULUMI_NODEJS_TRANSPILE_ONLY: "false" }));
        expect(() => service.compile(withTypeError, path.join(repo, "typeError.ts"))).toThrow(/TS2322/);
    });
});
