/**
 * Runs `declare` with stack capture off. The Pulumi SDK records `new Error().stack` for every
 * output promise, only to print it when PULUMI_DEBUG_PROMISE_LEAKS is set; with source maps on
 * (ts-node), that capture is most of the time a large stack takes to evaluate. Errors thrown
 * inside lose their stack trace, never their message.
 */
export function withoutStackTraces<T>(declare: () => T): T {
    if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
        return declare();
    }
    const previous = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return declare();
    } finally {
        Error.stackTraceLimit = previous;
    }
}
