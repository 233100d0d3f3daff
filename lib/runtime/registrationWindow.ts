import * as pulumi from "@pulumi/pulumi";

/**
 * How many tenants a preview keeps registering with the engine at once. The SDK makes an Output,
 * with its promises and closures, of every property a resource registers (@pulumi/pulumi
 * runtime/rpc.js transferProperties); declared all at once, the Outputs of 250 tenants kept
 * 136 MB alive until the engine answered, and collecting them was much of the evaluation's time.
 * A few at a time, they die young (docs/capacity.md, "Registering a few tenants at a time").
 */
export const previewTenantsAtOnce = 8;

/**
 * How many tenants a run keeps registering at once. A preview: previewTenantsAtOnce, each one's
 * registration being the engine's plan for it. An update: all of them, declared at once; there a
 * container's registration returns only once it exists and is healthy (`wait: true`), so a
 * window would roll the fleet out in waves.
 */
export function tenantsAtOnce(dryRun: boolean, tenantCount: number): number {
    return dryRun ? previewTenantsAtOnce : tenantCount;
}

/**
 * Declares each item's resources in the order of `items`, the next one only while fewer than
 * `atOnce` are still registering, and resolves with what `declare` returned once every item has
 * registered. With `atOnce` at the number of items, every item is declared at once, before this
 * returns. A `declare` that throws stops the declaring there, and the promise rejects.
 *
 * `registered` gives an output the engine always resolves once the item is registered, such as
 * URNs: an output left unknown in a preview would hold its place in the window for good. So does
 * a resource whose registration fails, as it holds everything that depends on it: the SDK leaves
 * its outputs pending (@pulumi/pulumi runtime/resource.js, resolveURN and registerResource's
 * catch) and the run fails with the error it logged.
 */
export async function declareInWindow<T, R>(
    items: ReadonlyArray<T>,
    atOnce: number,
    declare: (item: T) => R,
    registered: (declared: R) => pulumi.Output<unknown>,
): Promise<R[]> {
    const declared: R[] = [];
    const registering = new Set<Promise<void>>();
    for (const item of items) {
        if (registering.size >= atOnce) {
            await Promise.race(registering);
        }
        const resources = declare(item);
        declared.push(resources);
        const registration: Promise<void> = new Promise<void>((resolve) =>
            registered(resources).apply(() => resolve()),
        ).then(() => {
            registering.delete(registration);
        });
        registering.add(registration);
    }
    await Promise.all(registering);
    return declared;
}
