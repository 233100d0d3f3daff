import { doublePlacements } from "../../../lib/fleet/placement";

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
