import { parse } from "yaml";
import { fakeEngine } from "../support/fakeEngine";
import { prodStack } from "../support/prodStack";
import { runProgram } from "../support/runProgram";
import { fleet, tenantYaml } from "../support/tenantFiles";

/** Runs the program expecting a RunError, and returns its message. */
async function refusal(options: Parameters<typeof runProgram>[0]): Promise<string> {
    try {
        await runProgram({ preview: true, ...options });
    } catch (err) {
        expect((err as { __pulumiRunError?: boolean }).__pulumiRunError).toBe(true);
        // Refused before anything is declared: a preview shows the error and no plan.
        expect((err as { declared: unknown[] }).declared).toEqual([]);
        return (err as Error).message;
    }
    throw new Error("the program was expected to refuse this input");
}

const base = fleet(["shop-a", "shop-b"]);
const withFile = (file: string, text: string) => ({
    ...base,
    tenantFiles: { ...base.tenantFiles, [file]: text },
});

describe("bad input fails preview with a message naming the file or key", () => {
    test("a local engine older than the start probes its stack's dockerApiVersion promises", async () => {
        const engine = await fakeEngine("1.41");
        try {
            expect(await refusal({ ...base, config: { dockerHost: engine.dockerHost } })).toContain(
                `Pulumi.dev.yaml: zeptoclaw-fleet:dockerApiVersion: is 1.45, but the engine at ${engine.dockerHost} speaks API 1.41, ` +
                    "which has no healthcheck start_interval",
            );
        } finally {
            engine.close();
        }
    });

    test("malformed YAML", async () => {
        expect(await refusal(withFile("shop-c.yaml", "name: shop-c\nstacks: [dev\n"))).toMatch(
            /shop-c\.yaml: is not valid YAML/,
        );
    });

    test("malformed JSON", async () => {
        expect(await refusal(withFile("shop-c.json", "{ nope"))).toMatch(/shop-c\.json: is not valid JSON/);
    });

    test("invalid tenant name", async () => {
        expect(await refusal(withFile("Shop_C.yaml", tenantYaml("Shop_C")))).toMatch(
            /Shop_C\.yaml: name: a tenant name is/,
        );
    });

    test("duplicate tenant name", async () => {
        const json = JSON.stringify({
            name: "shop-a",
            stacks: ["dev"],
            zeptoclaw: { providers: { groq: { api_key: { secret: "g" } } } },
        });
        expect(await refusal(withFile("shop-a.json", json))).toMatch(
            /shop-a\.yaml: name: "shop-a" is already the name of .*shop-a\.json/,
        );
    });

    test("unknown key", async () => {
        expect(await refusal(withFile("shop-a.yaml", `${tenantYaml("shop-a")}resorces: {}\n`))).toMatch(
            /shop-a\.yaml: resorces: unknown key "resorces"/,
        );
    });

    test("wrong type", async () => {
        expect(
            await refusal(withFile("shop-a.yaml", tenantYaml("shop-a", { resources: { cpus: "half" } }))),
        ).toMatch(/shop-a\.yaml: resources\.cpus: Invalid input: expected number/);
    });

    test("a referenced secret that is not set", async () => {
        const secrets = { ...base.tenantSecrets, "shop-b": { anthropicApiKey: "sk" } };
        expect(await refusal({ ...base, tenantSecrets: secrets })).toMatch(
            /shop-b\.yaml: zeptoclaw\.channels\.telegram\.token: secret "telegramBotToken" is not set in stack "dev"; set it with: pulumi config set --secret --path 'tenantSecrets\.shop-b\.telegramBotToken' -s dev/,
        );
    });

    test("tenant secrets stored without --secret", async () => {
        expect(await refusal({ ...base, secretsInPlaintext: true })).toMatch(
            /Pulumi\.dev\.yaml: zeptoclaw-fleet:tenantSecrets: holds plaintext values/,
        );
    });

    test("limits above the host", async () => {
        const message = await refusal({
            ...withFile("shop-a.yaml", tenantYaml("shop-a", { resources: { memoryMb: 8192 } })),
            config: { hostMemoryMb: 2048 },
        });
        expect(message).toMatch(
            /shop-a\.yaml: resources\.memoryMb: is 8192 MB, above the 1536 MB the host can give tenants/,
        );
    });

    test("a fleet whose reservations do not fit the server, with the type that would hold it", async () => {
        const many = fleet(Array.from({ length: 120 }, (_, i) => `t-${i}`));
        const message = await refusal({
            stack: "prod",
            ...many,
            config: { ...prodStack, serverType: "cx22" },
        });
        expect(message).toMatch(
            /zeptoclaw-fleet:serverType: 120 tenants need \d+ MB .* only \d+ of them fit\. Server type cx32 \(8192 MB\) would hold them/,
        );
    });

    test("a tenant disk limit larger than the whole data Volume", async () => {
        const message = await refusal({
            stack: "prod",
            ...withFile("shop-b.yaml", tenantYaml("shop-b", { resources: { diskMb: 30_000 } })),
            config: { ...prodStack, dataVolumeGb: 20 },
        });
        expect(message).toMatch(
            /shop-b\.yaml: resources\.diskMb: is 30000 MB, more than the whole 20 GB data Volume \(Pulumi\.prod\.yaml: zeptoclaw-fleet:dataVolumeGb\); lower it or grow the Volume/,
        );
    });

    test("an unknown server type, with the types that exist", async () => {
        const message = await refusal({
            stack: "prod",
            ...base,
            config: { ...prodStack, serverType: "cx99" },
        });
        expect(message).toMatch(
            /Pulumi\.prod\.yaml: zeptoclaw-fleet:serverType: "cx99" is not a Hetzner server type; types in fsn1: cx22, cx32, cx42, cx52, cax21/,
        );
    });

    test("an ARM server with the published image, which upstream builds for amd64 only", async () => {
        const message = await refusal({
            stack: "prod",
            ...base,
            config: { ...prodStack, serverType: "cax21" },
        });
        expect(message).toMatch(
            /Pulumi\.prod\.yaml: zeptoclaw-fleet:serverType: "cax21" is an ARM server, but ZeptoClaw publishes its image for x86 \(linux\/amd64\) only/,
        );
    });

    test("a tenant ZeptoClaw 0.9.2 would refuse to start: the seed's model on the Anthropic API", async () => {
        const text = tenantYaml("shop-a", {
            zeptoclaw: {
                agents: { defaults: { model: "anthropic/claude-sonnet-4" } },
                providers: { anthropic: { api_key: { secret: "anthropicApiKey" } } },
            },
        });
        expect(await refusal(withFile("shop-a.yaml", text))).toMatch(
            /shop-a\.yaml: zeptoclaw\.agents\.defaults\.model: model "anthropic\/claude-sonnet-4" is not a Claude model/,
        );
    });

    test("a tenant asking for more than the stack's fleet policy", async () => {
        const text = tenantYaml("shop-a", {
            zeptoclaw: { ...parse(tenantYaml("shop-a")).zeptoclaw, agent_mode: { mode: "autonomous" } },
        });
        expect(
            await refusal({ ...withFile("shop-a.yaml", text), config: { policyMaxAgentMode: "assistant" } }),
        ).toMatch(
            /shop-a\.yaml: zeptoclaw\.agent_mode\.mode: is "autonomous", more permissive than "assistant", which the fleet policy does not allow \(Pulumi\.dev\.yaml: zeptoclaw-fleet:policyMaxAgentMode\)/,
        );
    });

    test("a tenant listing a stack that does not exist", async () => {
        expect(
            await refusal(withFile("shop-a.yaml", tenantYaml("shop-a", { stacks: ["dev", "staging"] }))),
        ).toMatch(
            /shop-a\.yaml: stacks\[1\]: stack "staging" does not exist \(no Pulumi\.staging\.yaml\); known stacks: dev, prod/,
        );
    });

    test("a bad stack config value", async () => {
        expect(await refusal({ ...base, config: { hostMemoryMb: "4GB" } })).toMatch(
            /Pulumi\.dev\.yaml: zeptoclaw-fleet:hostMemoryMb: is "4GB", not a whole number/,
        );
    });

    test("a tenant subnet too small for the fleet", async () => {
        expect(await refusal({ ...base, config: { tenantSubnet: "10.9.0.0/30" } })).toMatch(
            /Pulumi\.dev\.yaml: zeptoclaw-fleet:tenantSubnet: 10\.9\.0\.0\/30 has 1 addresses for containers but the host runs 2 tenants/,
        );
    });

    test("every problem is listed at once", async () => {
        const files = {
            ...base.tenantFiles,
            "shop-a.yaml": `${tenantYaml("shop-a")}x: 1\n`,
            "shop-b.yaml": `${tenantYaml("shop-b")}y: 2\n`,
        };
        const message = await refusal({ ...base, tenantFiles: files });
        expect(message).toMatch(/2 problems in the input/);
        expect(message).toMatch(/shop-a\.yaml: x: unknown key/);
        expect(message).toMatch(/shop-b\.yaml: y: unknown key/);
    });
});
