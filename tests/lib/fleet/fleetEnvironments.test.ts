import { environmentStacks } from "../../../lib/fleet/fleetEnvironments";

describe("environmentStacks", () => {
    const hosts = [
        { stack: "prod-fsn1-b", environment: "prod", tenantsDir: "tenants" },
        { stack: "dev", environment: "dev", tenantsDir: "tenants" },
        { stack: "prod-fsn1-a", environment: "prod", tenantsDir: "tenants" },
    ];

    test("the environment's stacks, sorted", () => {
        expect(environmentStacks(hosts, "prod")).toEqual(["prod-fsn1-a", "prod-fsn1-b"]);
    });

    test("an unknown environment is refused with the known ones and how to join one", () => {
        expect(() => environmentStacks(hosts, "staging")).toThrow(
            'no stack belongs to environment "staging" (known environments: dev, prod); a host stack joins one with zeptoclaw-fleet:environment: staging in its Pulumi.<stack>.yaml',
        );
    });
});
