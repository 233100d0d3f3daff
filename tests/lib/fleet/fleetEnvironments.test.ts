import { environmentStacks, stackEnvironment } from "../../../lib/fleet/fleetEnvironments";

describe("stackEnvironment", () => {
    test("the environment key names the environment; without it a stack is its own", () => {
        expect(
            stackEnvironment(
                "prod-fsn1-b",
                "config:\n    zeptoclaw-fleet:environment: prod\n    zeptoclaw-fleet:tenantsDir: shops\n",
            ),
        ).toEqual({ stack: "prod-fsn1-b", environment: "prod", tenantsDir: "shops" });
        expect(stackEnvironment("dev", "config:\n    zeptoclaw-fleet:hostKind: local\n")).toEqual({
            stack: "dev",
            environment: "dev",
            tenantsDir: "tenants",
        });
        expect(stackEnvironment("empty", "")).toMatchObject({ environment: "empty" });
        expect(stackEnvironment("blank", 'config:\n    zeptoclaw-fleet:environment: ""\n')).toMatchObject({
            environment: "blank",
        });
    });

    test("names the file and the key when they cannot be read", () => {
        expect(() => stackEnvironment("prod", "config: [\n")).toThrow(
            /^Pulumi\.prod\.yaml is not valid YAML/,
        );
        expect(() => stackEnvironment("prod", "config:\n    zeptoclaw-fleet:environment: [prod]\n")).toThrow(
            "Pulumi.prod.yaml: zeptoclaw-fleet:environment must be a string",
        );
    });
});

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
