import * as pulumi from "@pulumi/pulumi";
import { withoutStackTraces } from "../../../lib/runtime/withoutStackTraces";

/** An output that resolves when the test says so, as a resource's does once it is registered. */
function pendingOutput(): { output: pulumi.Output<string>; resolve: () => void } {
    let resolve!: (value: string) => void;
    const output = pulumi.output(new Promise<string>((r) => (resolve = r)));
    return { output, resolve: () => resolve("registered") };
}

/** Lets the apply callbacks of resolved outputs run. */
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

    test("keeps stacks off after declaring, until every registered output resolves", async () => {
        delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
        const first = pendingOutput();
        const second = pendingOutput();
        let limitWhileDeclaring: number | undefined;
        const declared = withoutStackTraces(
            () => {
                limitWhileDeclaring = Error.stackTraceLimit;
                return [first.output, second.output];
            },
            (outputs) => outputs,
        );
        expect(declared).toEqual([first.output, second.output]);
        expect(limitWhileDeclaring).toBe(0);

        first.resolve();
        await settle();
        expect(Error.stackTraceLimit).toBe(0);

        second.resolve();
        await settle();
        expect(Error.stackTraceLimit).toBe(limit);
    });

    test("restores stacks at once when declaring throws", () => {
        delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
        expect(() =>
            withoutStackTraces(
                () => {
                    throw new Error("no such image");
                },
                () => [],
            ),
        ).toThrow("no such image");
        expect(Error.stackTraceLimit).toBe(limit);
    });

    test("leaves stacks on while PULUMI_DEBUG_PROMISE_LEAKS asks for them", () => {
        process.env.PULUMI_DEBUG_PROMISE_LEAKS = "true";
        let limitWhileDeclaring: number | undefined;
        withoutStackTraces(
            () => {
                limitWhileDeclaring = Error.stackTraceLimit;
            },
            () => [pendingOutput().output],
        );
        expect(limitWhileDeclaring).toBe(limit);
        expect(Error.stackTraceLimit).toBe(limit);
    });
});
