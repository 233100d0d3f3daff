/**
 * Runs `declare` with stack capture off until the promise it returns settles; callers resolve it
 * once what they declared is registered (lib/runtime/registrationWindow.ts). The Pulumi SDK
 * records `new Error().stack` for every output promise, only to print it when
 * PULUMI_DEBUG_PROMISE_LEAKS is set. Most of those promises are made after a resource is
 * declared, while the SDK serializes and registers it, and with source maps on (ts-node) each
 * capture maps every frame. Errors thrown meanwhile lose their stack trace, never their message.
 * The SDK's own record of where each resource was declared is unaffected: it lifts the limit for
 * that capture (Resource.callsites in @pulumi/pulumi resource.js). The limit is the process's:
 * two programs run in one process (the Automation API's inline programs) would share it; the
 * fleet command runs each host stack's program in a process of its own.
 */
export async function withoutStackTraces<T>(declare: () => Promise<T>): Promise<T> {
    if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
        return declare();
    }
    const previous = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await declare();
    } finally {
        Error.stackTraceLimit = previous;
    }
}
