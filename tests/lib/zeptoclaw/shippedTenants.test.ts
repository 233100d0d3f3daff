import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { parseStackConfig } from "../../../lib/config/stackConfig";
import { renderNewTenantFile } from "../../../lib/tenants/newTenantFile";
import { readTenantSources } from "../../../lib/tenants/readTenantSources";
import { selectTenants } from "../../../lib/tenants/selectTenants";
import { fleetPolicyOf } from "../../../lib/zeptoclaw/fleetPolicy/fleetPolicy";
import { fleetPolicyProblems } from "../../../lib/zeptoclaw/fleetPolicy/policyProblems";

const root = path.resolve(__dirname, "..", "..", "..");

function shippedPolicy(stack: string) {
    const file = parse(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")) as {
        config: Record<string, unknown>;
    };
    const raw = Object.fromEntries(
        Object.entries(file.config).map(([k, v]) => [
            k.replace("zeptoclaw-fleet:", ""),
            typeof v === "string" ? v : JSON.stringify(v),
        ]),
    );
    const parsed = parseStackConfig(raw, stack);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    return fleetPolicyOf(parsed.config);
}

describe.each(["dev", "prod"])("in the shipped %s stack", (stack) => {
    const policy = shippedPolicy(stack);

    test("the sample tenants meet ZeptoClaw 0.9.2's contract and the fleet policy", () => {
        const selection = selectTenants(readTenantSources(path.join(root, "tenants"), root), stack, [
            "dev",
            "prod",
        ]);
        expect(selection.problems).toEqual([]);
        expect(selection.tenants.length).toBeGreaterThan(0);
        expect(selection.tenants.flatMap((t) => fleetPolicyProblems(t, policy, stack))).toEqual([]);
    });

    test("so does the file `npm run tenant -- add` writes", () => {
        const text = renderNewTenantFile("shop-new", [stack]);
        const selection = selectTenants([{ file: "tenants/shop-new.yaml", text }], stack, ["dev", "prod"]);
        expect(selection.problems).toEqual([]);
        expect(fleetPolicyProblems(selection.tenants[0], policy, stack)).toEqual([]);
    });
});

test("the prod stack runs an API-only profile: no shell, filesystem or process tools, no full autonomy", () => {
    const policy = shippedPolicy("prod");
    expect(policy.deniedTools).toEqual(
        expect.arrayContaining([
            "shell",
            "git",
            "browser",
            "read_file",
            "write_file",
            "edit_file",
            "list_dir",
            "create_tool",
            "install_skill",
        ]),
    );
    expect(policy).toMatchObject({ maxAgentMode: "assistant", requireApproval: true, requireSafety: true });
    expect(shippedPolicy("dev")).toEqual({
        deniedTools: [],
        maxAgentMode: "autonomous",
        requireApproval: false,
        requireSafety: false,
    });
});
