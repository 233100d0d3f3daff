import { doublePlacements, unplacedTenants } from "../../../lib/fleet/placement";

const hosts = [
    { stack: "dev", environment: "dev", tenantsDir: "tenants" },
    { stack: "prod-a", environment: "prod", tenantsDir: "tenants" },
    { stack: "prod-b", environment: "prod", tenantsDir: "tenants" },
    { stack: "staging", environment: "staging", tenantsDir: "tenants" },
];

describe("doublePlacements", () => {
    test("one host per environment is fine, across environments too", () => {
        expect(
            doublePlacements(
                [
                    { file: "tenants/a.yaml", stacks: ["dev", "prod-a", "staging"] },
                    { file: "tenants/b.yaml", stacks: ["prod-b"] },
                    { file: "tenants/c.yaml", stacks: ["unknown-stack"] },
                ],
                hosts,
            ),
        ).toEqual([]);
    });

    test("two hosts of one environment are refused, naming the file, the key and the hosts", () => {
        expect(
            doublePlacements([{ file: "tenants/a.yaml", stacks: ["dev", "prod-b", "prod-a"] }], hosts),
        ).toEqual([
            {
                where: "tenants/a.yaml",
                path: "stacks",
                message:
                    "lists prod-b and prod-a, hosts of the same environment \"prod\": the tenant's bot would run on each with one token, and Telegram delivers a bot's updates to one poller only; keep one host of prod",
            },
        ]);
    });
});

describe("unplacedTenants", () => {
    const fleet = [
        { stack: "dev", environment: "dev", tenantsDir: "tenants" },
        { stack: "prod-b", environment: "prod", tenantsDir: "tenants" },
        { stack: "prod-a", environment: "prod", tenantsDir: "tenants" },
    ];

    test("a tenant listing the environment and none of its hosts is refused, naming the hosts and the command", () => {
        expect(
            unplacedTenants(
                [
                    { file: "tenants/a.yaml", stacks: ["dev", "prod"] },
                    { file: "tenants/b.yaml", stacks: ["prod-a"] },
                    { file: "tenants/c.yaml", stacks: ["dev"] },
                ],
                fleet,
                "prod",
            ),
        ).toEqual([
            {
                where: "tenants/a.yaml",
                path: "stacks[1]",
                message:
                    'is the environment "prod", and the tenant is on none of its hosts (prod-a, prod-b); choose one with npm run fleet -- place -e prod, then commit the tenant file',
            },
        ]);
    });

    test("the environment listed next to one of its hosts is a leftover to remove", () => {
        expect(
            unplacedTenants([{ file: "tenants/a.yaml", stacks: ["prod", "prod-b"] }], fleet, "prod"),
        ).toEqual([
            {
                where: "tenants/a.yaml",
                path: "stacks[0]",
                message:
                    'is the environment "prod", and the tenant is already on its host prod-b; remove "prod" from stacks',
            },
        ]);
    });

    test("another environment's hosts do not look at it", () => {
        const staging = [...fleet, { stack: "staging-a", environment: "staging", tenantsDir: "tenants" }];
        expect(unplacedTenants([{ file: "tenants/a.yaml", stacks: ["prod"] }], staging, "staging")).toEqual(
            [],
        );
    });

    test("an environment that is also a stack's name is that stack: its tenants are placed", () => {
        const legacy = [{ stack: "prod", environment: "prod", tenantsDir: "tenants" }];
        expect(
            unplacedTenants([{ file: "tenants/a.yaml", stacks: ["dev", "prod"] }], legacy, "prod"),
        ).toEqual([]);
    });
});
