import * as pulumi from "@pulumi/pulumi";
import { mapLimit } from "../concurrency/mapLimit";

/**
 * How many tenants a preview keeps registering with the engine at once. The SDK makes an Output,
 * with its promises and closures, of every property a resource registers (@pulumi/pulumi
 * runtime/rpc.js transferProperties); declared all at once, 250 tenants' keep 136 MB alive until
 * the engine answers, and collecting them is much of the evaluation's time. A few at a time, they
 * die young (docs/capacity.md, "Registering a few tenants at a time").
 */
export const previewTenantsAtOnce = 8;

/**
 * How many tenants a run keeps registering at once. A preview: previewTenantsAtOnce, each one's
 * registration being the engine's plan for it, one round trip. An update: all of them, as
 * declared; there a container's registration returns only once it exists and is healthy
 * (`wait: true`), so a window would roll the fleet out in waves.
 */
export function tenantsAtOnce(dryRun: boolean, tenants: number): number {
    return dryRun ? previewTenantsAtOnce : tenants;
}

/**
 * Declares each item's resources with at most `atOnce` items still registering, in the order of
 * `items`, and resolves with what `declare` returned once every item has registered. `registered`
 * gives outputs the engine always knows once the item is registered, such as URNs: an output left
 * unknown in a preview would hold the window forever. So does a registration the engine refuses,
 * as it holds everything that depends on that resource: the SDK leaves its outputs pending on
 * purpose (@pulumi/pulumi runtime/resource.js, resolveURN) and the engine ends the program.
 */
export function declareInWindow<T, R>(
    items: ReadonlyArray<T>,
    atOnce: number,
    declare: (item: T) => R,
    registered: (declared: R) => pulumi.Output<unknown>[],
): Promise<R[]> {
    return mapLimit(items, atOnce, (item) => {
        const declared = declare(item);
        return new Promise<R>((resolve) => pulumi.all(registered(declared)).apply(() => resolve(declared)));
    });
}
