import * as pulumi from "@pulumi/pulumi";

/**
 * Declares resources with stack capture off, and keeps it off until `registered(declared)`
 * resolves (for the rest of the run, if those outputs stay unknown in a preview). The Pulumi SDK
 * records `new Error().stack` for every output promise, only to print it when
 * PULUMI_DEBUG_PROMISE_LEAKS is set. Most of those promises are made after `declare` has
 * returned, while the SDK serializes and registers each resource, and with source maps on
 * (ts-node) each capture maps every frame. Errors thrown meanwhile lose their stack trace, never
 * their message. The SDK's own record of where each resource was declared is unaffected: it lifts
 * the limit for that capture (Resource.callsites in @pulumi/pulumi resource.js).
 */
export function withoutStackTraces<T>(
    declare: () => T,
    registered: (declared: T) => pulumi.Output<unknown>[],
): T {
    if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
        return declare();
    }
    const previous = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const restore = () => {
        Error.stackTraceLimit = previous;
    };
    let declared: T;
    try {
        declared = declare();
    } catch (err) {
        restore();
        throw err;
    }
    pulumi.all(registered(declared)).apply(restore);
    return declared;
}
