/**
 * Evaluates the program under Pulumi's mocks on the tenant files of a folder (bench/benchTenants.ts
 * writes them), of which the first M run on the evaluated stack (dev) and the rest on another
 * (prod), and prints the time, the resource counts and the memory it took. M below the number of
 * files is one host stack of a fleet of several: every tenant file is read and validated, only the
 * host's tenants are declared. One fleet size per process, so sizes do not share a warmed-up heap.
 * Usage: ts-node bench/evaluateProgram.ts <tenants folder> <tenants on this stack>
 */
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { benchStack, benchTenantSecrets } from "./benchTenants";
import { processUsage } from "./processUsage";

async function main(): Promise<void> {
    const [tenantsDir, onStack] = process.argv.slice(2);
    const count = Number(onStack);
    const files = fs.readdirSync(tenantsDir).length;
    pulumi.runtime.setAllConfig(
        {
            "zeptoclaw-fleet:tenantsDir": tenantsDir,
            "zeptoclaw-fleet:hostMemoryMb": String(64 * 1024),
            "zeptoclaw-fleet:tenantSecrets": JSON.stringify(benchTenantSecrets(count)),
        },
        ["zeptoclaw-fleet:tenantSecrets"],
    );
    const counts = new Map<string, number>();
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                counts.set(args.type, (counts.get(args.type) ?? 0) + 1);
                const inputs = args.inputs as Record<string, unknown>;
                return {
                    id: `${args.name}-id`,
                    state: { ...inputs, imageId: "sha256:0", name: inputs.name ?? args.name },
                };
            },
            call: () => ({}),
        },
        "zeptoclaw-fleet",
        benchStack,
        true,
    );
    const rssBefore = process.memoryUsage().rss;
    const started = process.hrtime.bigint();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require("../index") as () => Promise<Record<string, unknown>>;
    const outputs = await program();
    await new Promise<void>((resolve) => pulumi.output(outputs).apply(() => resolve()));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rssMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;

    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    // Components register through the same monitor call, so `total` includes them.
    const components = [...counts.entries()]
        .filter(([t]) => t.startsWith("zeptoclaw-fleet:"))
        .reduce((a, [, n]) => a + n, 0);
    const perTenant = [...counts.entries()]
        .filter(([t]) =>
            [
                "zeptoclaw-fleet:tenant:ZeptoClawTenant",
                "docker:index/volume:Volume",
                "docker:index/container:Container",
            ].includes(t),
        )
        .reduce((a, [, n]) => a + n, 0);
    console.log(
        JSON.stringify({
            tenants: count,
            tenantFiles: files,
            seconds: Number(seconds.toFixed(2)),
            resources: total,
            components,
            resourcesPerTenant: Number((perTenant / count).toFixed(2)),
            rssGrowthMb: Math.round(rssMb),
            ...processUsage(),
        }),
    );
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
