import { plaintextStrings, runProgram } from "../support/runProgram";
import { fleet } from "../support/tenantFiles";

const PROD = {
    hostKind: "hetzner",
    sshAllowedCidrs: ["203.0.113.0/24"],
    sshPublicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAaaa ops@example.com"],
};

describe.each([
    ["dev", {}],
    ["prod", PROD],
])("secrets on the %s stack", (stack, config) => {
    const names = ["shop-a", "shop-b", "shop-c"];
    const input = fleet(names);
    const secretValues = Object.values(input.tenantSecrets).flatMap((s) => Object.values(s));
    let run: Awaited<ReturnType<typeof runProgram>>;
    beforeAll(async () => {
        run = await runProgram({ stack, ...input, config });
    });

    const leaksIn = (strings: string[]) =>
        strings.filter((s) => secretValues.some((secret) => s.includes(secret)));

    test("every secret reaches the host, inside Pulumi's secret envelope", () => {
        const everything = JSON.stringify(run.resources.map((r) => r.inputs));
        for (const secret of secretValues) {
            expect(everything).toContain(secret);
        }
    });

    test("no API key or token appears in plaintext in any resource input", () => {
        for (const r of run.resources) {
            expect({ resource: r.name, leaks: leaksIn(plaintextStrings(r.rawInputs)) }).toEqual({
                resource: r.name,
                leaks: [],
            });
        }
    });

    test("nor in any stack output", () => {
        expect(leaksIn(plaintextStrings(run.rawOutputs))).toEqual([]);
        expect(leaksIn([JSON.stringify(run.outputs)])).toEqual([]);
    });

    test("nor in any log line", () => {
        expect(leaksIn(run.logs)).toEqual([]);
    });

    test("the check itself catches a plaintext value", () => {
        expect(leaksIn(plaintextStrings({ a: [`x${secretValues[0]}x`] }))).toHaveLength(1);
    });
});
