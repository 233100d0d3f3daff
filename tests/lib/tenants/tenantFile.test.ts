import { parseTenantFile } from "../../../lib/tenants/parseTenantFile";
import {
    selectTenants,
    selectTenantsOfStacks,
    stacksFromFileNames,
} from "../../../lib/tenants/selectTenants";
import { tenantUidRange } from "../../../lib/tenants/tenantSchema";
import { derivedTenantUid } from "../../../lib/tenants/tenantUid";
import { tenantYaml } from "../../support/tenantFiles";

function problemsOf(file: string, text: string): string[] {
    const result = parseTenantFile(file, text);
    if (result.ok) {
        throw new Error(`${file} parsed but was expected to fail`);
    }
    return result.problems.map((p) => `${p.where}: ${p.path}: ${p.message}`);
}

describe("parseTenantFile", () => {
    test("a minimal file gets upstream's defaults and the seed's limits", () => {
        const result = parseTenantFile("tenants/shop-a.yaml", tenantYaml("shop-a"));
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const t = result.tenant;
        expect(t.zeptoclaw.agents.defaults).toEqual({
            model: "claude-sonnet-4-6",
            max_tokens: 8192,
            temperature: 0.7,
            max_tool_iterations: 20,
        });
        expect(t.zeptoclaw.heartbeat).toEqual({ enabled: false, interval_secs: 1800 });
        expect(t.zeptoclaw.skills).toEqual({ enabled: true });
        expect(t.zeptoclaw.swarm).toEqual({ enabled: true, max_concurrent: 3 });
        expect(t.resources).toEqual({
            memoryMb: 128,
            memoryReservationMb: 32,
            cpus: 0.25,
            cpuReservation: 0.05,
            pids: 256,
            diskMb: 1024,
        });
    });

    test("JSON files are read too", () => {
        const json = JSON.stringify({
            name: "shop-j",
            stacks: ["dev"],
            zeptoclaw: {
                agents: { defaults: { model: "gpt-5.1" } },
                providers: { openai: { api_key: { secret: "openaiKey" } } },
            },
        });
        expect(parseTenantFile("tenants/shop-j.json", json).ok).toBe(true);
    });

    test("malformed YAML names the file and the line", () => {
        const [problem] = problemsOf("tenants/shop-a.yaml", "name: shop-a\nstacks: [dev\nzeptoclaw: {}\n");
        expect(problem).toMatch(/^tenants\/shop-a\.yaml: : is not valid YAML: .*line \d+/);
    });

    test("malformed YAML names the line and column, without a source excerpt", () => {
        const [problem] = problemsOf("tenants/shop-a.yaml", "name: shop-a\nstacks: [dev\nzeptoclaw: {}\n");
        expect(problem).toMatch(/ at line 3, column \d+$/);
    });

    test("values read as YAML 1.2's core schema: a date stays text, `<<` is an ordinary key", () => {
        const dated = parseTenantFile(
            "tenants/shop-a.yaml",
            `${tenantYaml("shop-a")}labels:\n  customer-since: 2024-01-31\n`,
        );
        expect(dated.ok && dated.tenant.labels).toEqual({ "customer-since": "2024-01-31" });
        expect(
            problemsOf(
                "tenants/shop-a.yaml",
                `${tenantYaml("shop-a")}base: &base\n  cpus: 1\nresources:\n  <<: *base\n`,
            ),
        ).toContainEqual(expect.stringMatching(/^tenants\/shop-a\.yaml: resources\.<<: unknown key "<<"/));
    });

    test("malformed JSON names the file", () => {
        const [problem] = problemsOf("tenants/shop-a.json", '{"name": "shop-a",, }');
        expect(problem).toMatch(/^tenants\/shop-a\.json: : is not valid JSON/);
    });

    test("a duplicate key inside one file is refused", () => {
        expect(problemsOf("tenants/shop-a.yaml", `${tenantYaml("shop-a")}name: shop-a\n`)[0]).toMatch(
            /not valid YAML/,
        );
    });

    test("an unknown key is refused at any depth, with its path", () => {
        const text = tenantYaml("shop-a", {
            zeptoclaw: {
                providers: { anthropic: { api_key: { secret: "k" } } },
                channels: { telegram: { enabled: true, token: { secret: "t" }, alow_from: [] } },
            },
        });
        expect(problemsOf("tenants/shop-a.yaml", text)).toEqual([
            expect.stringMatching(
                /tenants\/shop-a\.yaml: zeptoclaw\.channels\.telegram\.alow_from: unknown key "alow_from"/,
            ),
        ]);
        expect(problemsOf("tenants/shop-a.yaml", `${tenantYaml("shop-a")}resourcez: {}\n`)[0]).toMatch(
            /: resourcez: unknown key/,
        );
    });

    test("a wrong type is refused with its path", () => {
        const text = tenantYaml("shop-a", { resources: { memoryMb: "lots" } });
        expect(problemsOf("tenants/shop-a.yaml", text)[0]).toMatch(
            /resources\.memoryMb: Invalid input: expected number, received string/,
        );
    });

    test("a secret written in plain text is refused and the message says where secrets go", () => {
        const text = tenantYaml("shop-a", {
            zeptoclaw: { providers: { anthropic: { api_key: "sk-ant-123" } } },
        });
        expect(problemsOf("tenants/shop-a.yaml", text)[0]).toMatch(
            /zeptoclaw\.providers\.anthropic\.api_key: must be a secret reference .*pulumi config set --secret/,
        );
    });

    test.each(["Shop", "-shop", "shop-", "shop_a", "a".repeat(41), "shop.a"])(
        "the invalid name %j is refused",
        (name) => {
            expect(problemsOf(`tenants/${name}.yaml`, tenantYaml(name)).join("\n")).toMatch(
                /name: a tenant name is/,
            );
        },
    );

    test("the name must match the file name", () => {
        expect(problemsOf("tenants/shop-b.yaml", tenantYaml("shop-a"))[0]).toMatch(
            /name: is "shop-a" but the file is named "shop-b"/,
        );
    });

    test("cpus the Docker provider would read back as another limit are refused", () => {
        const problem = (cpus: number) =>
            problemsOf(
                "tenants/shop-a.yaml",
                tenantYaml("shop-a", { resources: { cpus, cpuReservation: 0.01 } }),
            )[0];
        expect(problem(0.05)).toMatch(
            /resources\.cpus: is 0\.05, which the Docker provider reads back as 0\.1/,
        );
        expect(problem(10.05)).toMatch(
            /resources\.cpus: is 10\.05, which the Docker provider reads back as 10\.1/,
        );
        expect(
            parseTenantFile("tenants/shop-a.yaml", tenantYaml("shop-a", { resources: { cpus: 1 } })).ok,
        ).toBe(true);
    });

    test("a reservation above the limit is refused", () => {
        const text = tenantYaml("shop-a", { resources: { memoryMb: 64, memoryReservationMb: 96 } });
        expect(problemsOf("tenants/shop-a.yaml", text)[0]).toMatch(
            /resources\.memoryReservationMb: is 96 MB, above memoryMb/,
        );
    });

    test("a disk limit is whole MB, from 64 MB to 1 TB", () => {
        const problem = (diskMb: unknown) =>
            problemsOf("tenants/shop-a.yaml", tenantYaml("shop-a", { resources: { diskMb } }))[0];
        expect(problem(32)).toMatch(/resources\.diskMb: Too small: expected number to be >=64/);
        expect(problem(2_000_000)).toMatch(/resources\.diskMb: Too big: expected number to be <=1048576/);
        expect(problem(100.5)).toMatch(/resources\.diskMb: Invalid input: expected int, received number/);
        const parsed = parseTenantFile(
            "tenants/shop-a.yaml",
            tenantYaml("shop-a", { resources: { diskMb: 64 } }),
        );
        expect(parsed.ok && parsed.tenant.resources.diskMb).toBe(64);
    });

    test("reserved labels cannot be overridden", () => {
        const text = tenantYaml("shop-a", { labels: { "com.zeptoclaw.tenant": "other" } });
        expect(problemsOf("tenants/shop-a.yaml", text)[0]).toMatch(
            /labels\.com\.zeptoclaw\.tenant: labels under com\.zeptoclaw\./,
        );
    });
});

describe("selectTenants", () => {
    const stacks = ["dev", "prod"];

    test("returns the tenants of one stack, sorted, and validates the others too", () => {
        const { tenants, problems } = selectTenants(
            [
                { file: "tenants/b.yaml", text: tenantYaml("b", { stacks: ["dev"] }) },
                { file: "tenants/a.yaml", text: tenantYaml("a", { stacks: ["dev", "prod"] }) },
                { file: "tenants/p.yaml", text: tenantYaml("p", { stacks: ["prod"] }) },
            ],
            "dev",
            stacks,
        );
        expect(problems).toEqual([]);
        expect(tenants.map((t) => t.name)).toEqual(["a", "b"]);
        const broken = selectTenants(
            [{ file: "tenants/p.yaml", text: tenantYaml("p", { stacks: ["prod"], oops: 1 }) }],
            "dev",
            stacks,
        );
        expect(broken.problems).toHaveLength(1);
    });

    test("several stacks from one reading: each stack's tenants as selectTenants gives them, each once", () => {
        const sources = [
            { file: "tenants/b.yaml", text: tenantYaml("b", { stacks: ["dev"] }) },
            { file: "tenants/a.yaml", text: tenantYaml("a", { stacks: ["dev", "prod"] }) },
            { file: "tenants/p.yaml", text: tenantYaml("p", { stacks: ["prod", "prod"] }) },
        ];
        const { byStack, problems } = selectTenantsOfStacks(sources, stacks, stacks);
        for (const stack of stacks) {
            expect(byStack.get(stack)).toEqual(selectTenants(sources, stack, stacks).tenants);
        }
        expect(byStack.get("prod")!.map((t) => t.name)).toEqual(["a", "p"]);
        expect(problems).toEqual([
            { where: "tenants/p.yaml", path: "stacks[1]", message: 'stack "prod" is listed twice' },
        ]);
    });

    test("a duplicate name across files is refused", () => {
        const { problems } = selectTenants(
            [
                {
                    file: "tenants/a.json",
                    text: JSON.stringify({
                        name: "a",
                        stacks: ["dev"],
                        zeptoclaw: { providers: { groq: { api_key: { secret: "g" } } } },
                    }),
                },
                { file: "tenants/a.yaml", text: tenantYaml("a") },
            ],
            "dev",
            stacks,
        );
        expect(problems).toEqual([
            expect.objectContaining({
                where: "tenants/a.yaml",
                path: "name",
                message: expect.stringMatching(/already the name of tenants\/a\.json/),
            }),
        ]);
    });

    test("a stack that does not exist is refused, naming the known ones", () => {
        const { problems } = selectTenants(
            [{ file: "tenants/a.yaml", text: tenantYaml("a", { stacks: ["dev", "staging"] }) }],
            "dev",
            stacks,
        );
        expect(problems).toEqual([
            {
                where: "tenants/a.yaml",
                path: "stacks[1]",
                message: 'stack "staging" does not exist (no Pulumi.staging.yaml); known stacks: dev, prod',
            },
        ]);
    });

    test("an environment's name is taken where a stack is expected, and the tenant is of no stack yet", () => {
        const sources = [{ file: "tenants/a.yaml", text: tenantYaml("a", { stacks: ["dev", "prod"] }) }];
        const selection = selectTenants(sources, "prod-a", ["dev", "prod-a", "prod-b"], ["dev", "prod"]);
        expect(selection).toEqual({
            tenants: [],
            placements: [{ file: "tenants/a.yaml", stacks: ["dev", "prod"] }],
            problems: [],
        });
        expect(
            selectTenants(sources, "dev", ["dev", "prod-a"], ["dev", "prod"]).tenants.map((t) => t.name),
        ).toEqual(["a"]);
    });

    test("two tenants with one uid are refused, and the message says how to fix it", () => {
        const { problems } = selectTenants(
            [
                { file: "tenants/a.yaml", text: tenantYaml("a") },
                { file: "tenants/b.yaml", text: tenantYaml("b", { uid: derivedTenantUid("a") }) },
            ],
            "dev",
            stacks,
        );
        expect(problems).toEqual([
            expect.objectContaining({
                where: "tenants/b.yaml",
                path: "uid",
                message: expect.stringMatching(/also the uid of tenant "a".*set a distinct "uid:"/),
            }),
        ]);
    });

    test("uids derive from the name alone, in the tenant range, distinct for a large fleet", () => {
        expect(derivedTenantUid("shop-a")).toBe(derivedTenantUid("shop-a"));
        const uids = new Set<number>();
        for (let i = 0; i < 2000; i++) {
            const uid = derivedTenantUid(`tenant-${i}`);
            expect(uid).toBeGreaterThanOrEqual(tenantUidRange.min);
            expect(uid).toBeLessThan(tenantUidRange.max);
            uids.add(uid);
        }
        expect(uids.size).toBe(2000);
    });

    test("stack names come from Pulumi.<stack>.yaml files", () => {
        expect(
            stacksFromFileNames([
                "Pulumi.yaml",
                "Pulumi.prod.yaml",
                "Pulumi.dev.yaml",
                "package.json",
                "Pulumi.staging.yml",
            ]),
        ).toEqual(["dev", "prod", "staging"]);
    });
});
