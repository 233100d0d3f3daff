/**
 * The floor under a host stack of this program: its tenants' own registrations and nothing else.
 * Per tenant, the program's ZeptoClawTenant (its component, data volume and gateway container,
 * with the inputs the program gives them), under a host component with its Docker provider,
 * declared as a preview declares them, a window at a time (lib/runtime/registrationWindow.ts).
 * The bench tenants are parsed and validated from their YAML in memory before the clock starts;
 * the image, the network and the config's hash are plain strings where the program passes
 * Outputs, and one empty component stands for the config writer the containers wait for. Nothing
 * is read from disk, no config rendered, no secret handled, no image or network declared: what is
 * left is what the Pulumi SDK costs to register the properties each tenant's isolation and limits
 * need (an Output per property, runtime/rpc.js transferProperties). Runs under the same mocks as
 * bench/evaluateProgram.ts, with or without the TypeScript registration (bench/run.ts runs both),
 * and prints the seconds from the first registration until the last resolved, the peak memory
 * and the process's CPU time.
 * Usage: bench/tenantRegistrations.ts <tenants>
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ZeptoClawTenant } from "../components/tenant/zeptoclawTenant";
import { declareInWindow, tenantsAtOnce } from "../lib/runtime/registrationWindow";
import { parseTenantFile } from "../lib/tenants/parseTenantFile";
import { Tenant } from "../lib/tenants/tenant";
import { benchStack, benchTenantName, benchTenantYaml } from "./benchTenants";
import { processUsage } from "./processUsage";

/** The bench's `i`th tenant, validated as the program validates its file. */
function benchTenant(i: number): Tenant {
    const file = `tenants/${benchTenantName(i)}.yaml`;
    const parsed = parseTenantFile(file, benchTenantYaml(i, true));
    if (!parsed.ok) {
        throw new Error(`${file}: ${JSON.stringify(parsed.problems)}`);
    }
    const { name, zeptoclaw, resources, labels, ring } = parsed.tenant;
    return { name, file, uid: 10_000_000 + i, zeptoclaw, resources, labels, ring };
}

async function main(): Promise<void> {
    const tenants = Array.from({ length: Number(process.argv[2]) }, (_, i) => benchTenant(i));
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => ({
                id: `${args.name}-id`,
                state: args.inputs as Record<string, unknown>,
            }),
            call: () => ({}),
        },
        "zeptoclaw-fleet",
        benchStack,
        true,
    );
    // Stack capture off throughout, as the program keeps it while its tenants register
    // (lib/runtime/withoutStackTraces.ts).
    Error.stackTraceLimit = 0;
    const started = process.hrtime.bigint();
    // Under a host with its Docker provider, as the program's tenants are.
    const host = new pulumi.ComponentResource("zeptoclaw-fleet:bench:Host", "local");
    const onHost = {
        parent: host,
        providers: [
            new docker.Provider("local/docker", { host: "unix:///var/run/docker.sock" }, { parent: host }),
        ],
    };
    const configFiles = new pulumi.ComponentResource(
        "zeptoclaw-fleet:bench:ConfigFiles",
        "configs",
        {},
        onHost,
    );
    await declareInWindow(
        tenants,
        tenantsAtOnce(true, tenants.length),
        (tenant) =>
            new ZeptoClawTenant(
                tenant.name,
                {
                    tenant,
                    configSha256: "0".repeat(64),
                    configFiles,
                    image: "sha256:0",
                    version: "0.9.2",
                    environment: benchStack,
                    hostName: "local",
                    network: "local-tenants",
                    configRoot: "/var/lib/zeptoclaw-fleet/tenants",
                    runtime: { appArmor: false, healthStart: "start-interval" },
                },
                onHost,
            ),
        (declared) => declared.registeredUrns,
    );
    console.log(
        JSON.stringify({
            tenants: tenants.length,
            seconds: Number((Number(process.hrtime.bigint() - started) / 1e9).toFixed(2)),
            ...processUsage(),
        }),
    );
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
