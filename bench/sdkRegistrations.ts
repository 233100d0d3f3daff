/**
 * The Pulumi SDK's share of a host stack: the same resource registrations the program makes per
 * tenant (its component, a volume and a container, with the same type tokens), without inputs and
 * without reading, validating or rendering anything, under the same mocks and TypeScript
 * registration. No program with one component, volume and container per tenant evaluates faster
 * than this on the same machine. Prints the seconds from the first registration until the last
 * resolved, and the peak memory.
 * Usage: ts-node bench/sdkRegistrations.ts <tenants>
 */
import * as pulumi from "@pulumi/pulumi";

/** A resource of `type` with no inputs. */
class BareResource extends pulumi.CustomResource {
    constructor(type: string, name: string, opts: pulumi.CustomResourceOptions) {
        super(type, name, {}, opts);
    }
}

/** The tenant's component, with nothing in it but its two children. */
class BareTenant extends pulumi.ComponentResource {
    public readonly containerId: pulumi.Output<string>;

    constructor(name: string) {
        super("zeptoclaw-fleet:tenant:ZeptoClawTenant", name);
        const volume = new BareResource("docker:index/volume:Volume", `${name}/data`, { parent: this });
        const container = new BareResource("docker:index/container:Container", `${name}/gateway`, {
            parent: this,
            dependsOn: [volume],
        });
        this.containerId = container.id;
        this.registerOutputs({});
    }
}

async function main(): Promise<void> {
    const tenants = Number(process.argv[2]);
    await pulumi.runtime.setMocks(
        { newResource: (args) => ({ id: `${args.name}-id`, state: {} }), call: () => ({}) },
        "zeptoclaw-fleet",
        "dev",
        true,
    );
    // Stack capture off throughout, as the program keeps it while its tenants register
    // (lib/runtime/withoutStackTraces.ts).
    Error.stackTraceLimit = 0;
    const started = process.hrtime.bigint();
    const registered = Array.from({ length: tenants }, (_, i) => new BareTenant(`t${i}`).containerId);
    await new Promise<void>((resolve) => pulumi.all(registered).apply(() => resolve()));
    console.log(
        JSON.stringify({
            tenants,
            seconds: Number((Number(process.hrtime.bigint() - started) / 1e9).toFixed(2)),
            maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        }),
    );
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
