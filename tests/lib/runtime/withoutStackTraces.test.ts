import { withoutStackTraces } from "../../../lib/runtime/withoutStackTraces";

/** A promise that settles when the test says so, as a window of registrations does. */
function pending(): { promise: Promise<string>; resolve: () => void; reject: (err: Error) => void } {
    let resolve!: (value: string) => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<string>((res, rej) => {
        resolve = res;
        reject = rej;
    });
    return { promise, resolve: () => resolve("registered"), reject };
}

/** Lets pending callbacks run. */
const settle = () => new Promise<void>((r) => setTimeout(r, 10));

describe("withoutStackTraces", () => {
    const limit = Error.stackTraceLimit;
    const debugLeaks = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    afterEach(() => {
        Error.stackTraceLimit = limit;
        if (debugLeaks === undefined) {
            delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
        } else {
            process.env.PULUMI_DEBUG_PROMISE_LEAKS = debugLeaks;
        }
    });

    test("keeps stacks off until the declaration settles, then restores them", async () => {
        delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
        const registration = pending();
        let limitWhileDeclaring: number | undefined;
        const declared = withoutStackTraces(() => {
            limitWhileDeclaring = Error.stackTraceLimit;
            return registration.promise;
        });
        expect(limitWhileDeclaring).toBe(0);
        await settle();
        expect(Error.stackTraceLimit).toBe(0);

        registration.resolve();
        await expect(declared).resolves.toBe("registered");
        expect(Error.stackTraceLimit).toBe(limit);
    });

    test("restores stacks when the declaration fails, early or late", async () => {
        delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
        await expect(
            withoutStackTraces(() => {
                throw new Error("no such image");
            }),
        ).rejects.toThrow("no such image");
        expect(Error.stackTraceLimit).toBe(limit);

        const registration = pending();
        const declared = withoutStackTraces(() => registration.promise);
        registration.reject(new Error("engine refused"));
        await expect(declared).rejects.toThrow("engine refused");
        expect(Error.stackTraceLimit).toBe(limit);
    });

    test("leaves stacks on while PULUMI_DEBUG_PROMISE_LEAKS asks for them", async () => {
        process.env.PULUMI_DEBUG_PROMISE_LEAKS = "true";
        let limitWhileDeclaring: number | undefined;
        await withoutStackTraces(() => {
            limitWhileDeclaring = Error.stackTraceLimit;
            return Promise.resolve();
        });
        expect(limitWhileDeclaring).toBe(limit);
        expect(Error.stackTraceLimit).toBe(limit);
    });
});
