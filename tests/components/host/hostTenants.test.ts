import { runProgram } from "../../support/runProgram";
import { fleet } from "../../support/tenantFiles";

/** The dev stack's host and what declareHostTenants puts on it, without the rest of the program. */
function hostWithTenants(names: ReadonlyArray<string>) {
    return runProgram({
        ...fleet(names),
        program: async (load) => {
            const config = load("lib/program/loadFleetConfig").loadFleetConfig();
            const host = load("components/host/createHost").createHost({
                settings: config.settings,
                environment: config.environment,
                backup: config.backup,
                alerts: config.alerts,
                tenants: config.tenants,
            });
            const declared = await load("components/host/hostTenants").declareHostTenants(host, config);
            return {
                image: declared.image.id,
                tenants: declared.tenants.map((t: { urn: unknown }) => t.urn),
            };
        },
    });
}

describe("declareHostTenants", () => {
    test("everything it declares is the host's: under its component, through its engine's provider", async () => {
        const run = await hostWithTenants(["shop-a", "shop-b"]);
        const provider = run.one("pulumi:providers:docker", "local/docker");
        const onHost = run.resources.filter((r) => r !== provider);
        expect(onHost.length).toBeGreaterThan(0);
        const host = run.components.find((c) => c.type === "zeptoclaw-fleet:host:LocalHost");
        expect(host?.name).toBe("local");
        for (const resource of onHost) {
            expect([resource.name, run.ancestors(resource.urn)]).toEqual([
                resource.name,
                expect.arrayContaining([host?.urn]),
            ]);
            expect([resource.name, resource.provider]).toEqual([
                resource.name,
                `${provider.urn}::local/docker-id`,
            ]);
        }
    });

    test("one tenant component per tenant, named after it, holding its gateway and data volume", async () => {
        const run = await hostWithTenants(["shop-a", "shop-b"]);
        expect(run.outputs.tenants).toEqual([
            expect.stringMatching(/zeptoclaw-fleet:tenant:ZeptoClawTenant::shop-a$/),
            expect.stringMatching(/zeptoclaw-fleet:tenant:ZeptoClawTenant::shop-b$/),
        ]);
        for (const tenant of ["shop-a", "shop-b"]) {
            expect(run.one("docker:index/container:Container", `${tenant}/gateway`).parent).toMatch(
                new RegExp(`ZeptoClawTenant::${tenant}$`),
            );
            expect(run.one("docker:index/volume:Volume", `${tenant}/data`).parent).toMatch(
                new RegExp(`ZeptoClawTenant::${tenant}$`),
            );
        }
    });
});
