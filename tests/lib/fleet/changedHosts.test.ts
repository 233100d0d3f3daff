import { ChangedFile, changedHosts, classifyPath } from "../../../lib/fleet/changedHosts";

const prod = ["prod-fsn1-a", "prod-fsn1-b", "prod-hel1-a"];

describe("classifyPath", () => {
    test.each([
        ["Pulumi.prod-fsn1-a.yaml", "stack settings"],
        ["tenants/shop-a.yaml", "tenant"],
        ["tenants/shop-a.json", "tenant"],
        ["other-tenants/shop-z.yml", "tenant"],
        ["tenants/README.txt", "inert"],
        ["README.md", "inert"],
        ["docs/operations.md", "inert"],
        ["tests/lib/x.test.ts", "inert"],
        [".github/workflows/preview.yml", "inert"],
        ["index.ts", "program"],
        ["lib/docker/tenantContainers.ts", "program"],
        ["Pulumi.yaml", "program"],
        ["package-lock.json", "program"],
        ["policy/index.ts", "program"],
        ["components/README.md", "program"],
    ])("%s is %s", (file, kind) => {
        expect(classifyPath(file, ["tenants", "other-tenants"])).toBe(kind);
    });
});

describe("changedHosts", () => {
    test("a tenant change previews the hosts it was on and is on: a move touches both", () => {
        const changes: ChangedFile[] = [
            {
                kind: "tenant",
                path: "tenants/shop-a.yaml",
                before: ["prod-fsn1-a"],
                after: ["prod-fsn1-b", "dev"],
            },
            { kind: "inert", path: "README.md" },
        ];
        expect(changedHosts(changes, prod)).toEqual([
            { stack: "prod-fsn1-a", reasons: ["tenants/shop-a.yaml"] },
            { stack: "prod-fsn1-b", reasons: ["tenants/shop-a.yaml"] },
        ]);
    });

    test("a new tenant and a removed one: the side that exists", () => {
        expect(
            changedHosts(
                [
                    { kind: "tenant", path: "tenants/new.yaml", after: ["prod-hel1-a"] },
                    { kind: "tenant", path: "tenants/gone.yaml", before: ["prod-fsn1-b"] },
                ],
                prod,
            ).map((h) => h.stack),
        ).toEqual(["prod-fsn1-b", "prod-hel1-a"]);
    });

    test("a stack's settings: that host; another environment's: none", () => {
        expect(
            changedHosts(
                [
                    { kind: "stack settings", stack: "prod-hel1-a" },
                    { kind: "stack settings", stack: "dev" },
                ],
                prod,
            ),
        ).toEqual([{ stack: "prod-hel1-a", reasons: ["Pulumi.prod-hel1-a.yaml"] }]);
    });

    test("the program or an unreadable tenant file: every host, with every reason", () => {
        const hosts = changedHosts(
            [
                { kind: "program", path: "lib/docker/tenantContainers.ts" },
                { kind: "unreadable tenant", path: "tenants/broken.yaml" },
            ],
            prod,
        );
        expect(hosts.map((h) => h.stack)).toEqual(prod);
        expect(hosts[0].reasons).toEqual(["lib/docker/tenantContainers.ts", "tenants/broken.yaml"]);
    });

    test("only inert changes: no host", () => {
        expect(changedHosts([{ kind: "inert", path: "docs/capacity.md" }], prod)).toEqual([]);
    });
});
