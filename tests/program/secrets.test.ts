import { decodeConfigureFiles } from "../support/configureFiles";
import { prodBackupSecrets, prodStack } from "../support/prodStack";
import { plaintextStrings, runProgram } from "../support/runProgram";
import { fleet } from "../support/tenantFiles";

describe.each([
    ["dev", {}, {}],
    ["prod", prodStack, {}],
    ["prod", { ...prodStack, backupTarget: "storagebox" }, prodBackupSecrets],
    [
        "prod",
        prodStack,
        {
            alertWebhookUrl: "https://hooks.example.com/ALERT-SECRET-hook",
            alertTelegramBotToken: "123456:ALERT-SECRET-token",
            alertTelegramChatId: "-100987654321",
        },
    ],
])("secrets on the %s stack (%j)", (stack, config, secretConfig: Record<string, string>) => {
    const names = ["shop-a", "shop-b", "shop-c"];
    const input = fleet(names);
    const secretValues = [
        ...Object.values(input.tenantSecrets).flatMap((s) => Object.values(s)),
        ...Object.values(secretConfig),
        // What the program generates is as secret as what the operator sets.
        ...(stack === "prod" ? ["MOCKHOSTKEYPRIVATE"] : []),
    ];
    let run: Awaited<ReturnType<typeof runProgram>>;
    beforeAll(async () => {
        run = await runProgram({ stack, ...input, config, secretConfig });
    });

    const leaksIn = (strings: string[]) =>
        strings.filter((s) => secretValues.some((secret) => s.includes(secret)));

    test("every secret reaches the host, inside Pulumi's secret envelope", () => {
        // The configure step carries host files base64-encoded in its (secret) script.
        const hostFiles = run.resources
            .filter((r) => r.type === "command:remote:Command" && typeof r.inputs.stdin === "string")
            .map((r) => decodeConfigureFiles(r.inputs.stdin));
        const everything = JSON.stringify([run.resources.map((r) => r.inputs), hostFiles]);
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
