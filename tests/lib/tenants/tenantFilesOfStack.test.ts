import { selectTenants, TenantSource } from "../../../lib/tenants/selectTenants";
import { tenantFilesOfStack } from "../../../lib/tenants/tenantFilesOfStack";
import { derivedTenantUid } from "../../../lib/tenants/tenantUid";
import { tenantYaml } from "../../support/tenantFiles";

// A fleet of two environments: dev (one stack) and prod (hosts prod-a and prod-b).
const known = ["dev", "prod-a", "prod-b", "prod"];
const prodA = { stack: "prod-a", environment: "prod", known };

function source(name: string, overrides: Record<string, unknown>, ext = "yaml"): TenantSource {
    return { file: `tenants/${name}.${ext}`, text: tenantYaml(name, overrides) };
}

function split(sources: TenantSource[], names = prodA) {
    const { parse, elsewhere } = tenantFilesOfStack(sources, names);
    return { parse: parse.map((s) => s.file), elsewhere };
}

test("a host parses the files that name it or its environment, and leaves those of other hosts by name", () => {
    expect(
        split([
            source("on-a", { stacks: ["prod-a"] }),
            source("on-b", { stacks: ["prod-b"] }),
            source("dev-and-b", { stacks: ["dev", "prod-b"] }),
            source("waiting", { stacks: ["prod"] }),
            source("dev-and-a", { stacks: ["dev", "prod-a"] }, "json"),
        ]),
    ).toEqual({
        parse: ["tenants/on-a.yaml", "tenants/waiting.yaml", "tenants/dev-and-a.json"],
        elsewhere: [
            { file: "tenants/on-b.yaml", name: "on-b" },
            { file: "tenants/dev-and-b.yaml", name: "dev-and-b" },
        ],
    });
});

test("names are whole tokens: an environment is not mentioned by its hosts' names, nor a host by a longer one", () => {
    const names = {
        stack: "prod",
        environment: "prod",
        known: ["prod", "prod-a", "prod.old", "prod_x", "x-prod"],
    };
    expect(
        split(
            [
                source("a", { stacks: ["prod-a"] }),
                source("b", { stacks: ["prod.old"] }),
                source("c", { stacks: ["prod_x"] }),
                source("x", { stacks: ["x-prod"] }),
                source("d", { stacks: ["prod"] }),
                { file: "tenants/e.yaml", text: "name: e\nstacks: [prod-a, 'prod']\n" },
            ],
            names,
        ).parse,
    ).toEqual(["tenants/d.yaml", "tenants/e.yaml"]);
});

test("a file that names no known stack is parsed by every host, so its mistake is refused everywhere", () => {
    expect(split([source("typo", { stacks: ["prdo-b"] })]).parse).toEqual(["tenants/typo.yaml"]);
    expect(split([{ file: "tenants/empty.yaml", text: "" }]).parse).toEqual(["tenants/empty.yaml"]);
});

test("an explicit uid or an escape sends another host's file to be parsed", () => {
    // prod-b is named in full; prod-a only through an escape.
    const escaped = { file: "tenants/esc.yaml", text: 'name: esc\nstacks: [prod-b, "prod-\\x61"]\n' };
    expect(split([source("with-uid", { stacks: ["prod-b"], uid: 12345678 }), escaped]).parse).toEqual([
        "tenants/with-uid.yaml",
        "tenants/esc.yaml",
    ]);
});

test("the tenants left elsewhere keep their names and derived uids from this host's tenants", () => {
    const { parse, elsewhere } = tenantFilesOfStack(
        [
            source("shop", { stacks: ["prod-b"] }),
            source("shop", { stacks: ["prod-a"] }, "json"),
            source("other", { stacks: ["prod-b"] }),
            source("mine", { stacks: ["prod-a"], uid: derivedTenantUid("other") }),
        ],
        prodA,
    );
    const { tenants, problems } = selectTenants(parse, "prod-a", known, ["prod"], elsewhere);
    expect(tenants.map((t) => t.name)).toEqual([]);
    expect(problems).toEqual([
        expect.objectContaining({
            where: "tenants/shop.json",
            path: "name",
            message: expect.stringMatching(/already the name of tenants\/shop\.yaml/),
        }),
        expect.objectContaining({
            where: "tenants/mine.yaml",
            path: "uid",
            message: expect.stringMatching(/also the uid of tenant "other" \(tenants\/other\.yaml\)/),
        }),
    ]);
});
