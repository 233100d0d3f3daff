import * as pulumi from "@pulumi/pulumi";
import {
    declareInWindow,
    previewTenantsAtOnce,
    tenantsAtOnce,
} from "../../../lib/runtime/registrationWindow";

/** An output that resolves when the test says so, as a resource's URN does once it is registered. */
function pendingOutput(): { output: pulumi.Output<string>; resolve: () => void } {
    let resolve!: (value: string) => void;
    const output = pulumi.output(new Promise<string>((r) => (resolve = r)));
    return { output, resolve: () => resolve("urn") };
}

/** Lets pending callbacks run. */
const settle = () => new Promise<void>((r) => setTimeout(r, 10));

describe("tenantsAtOnce", () => {
    test("a preview registers a window of tenants at once, an update all of them", () => {
        expect(tenantsAtOnce(true, 250)).toBe(previewTenantsAtOnce);
        expect(tenantsAtOnce(false, 250)).toBe(250);
    });
});

describe("declareInWindow", () => {
    test("declares the next item only when one of the window has registered, in order", async () => {
        const items = Array.from({ length: 7 }, (_, i) => `tenant-${i}`);
        const registrations = new Map(items.map((item) => [item, pendingOutput()]));
        const declared: string[] = [];
        const all = declareInWindow(
            items,
            3,
            (item) => {
                declared.push(item);
                return item;
            },
            (item) => registrations.get(item)!.output,
        );
        let done = false;
        void all.then(() => (done = true));
        await settle();
        expect(declared).toEqual(["tenant-0", "tenant-1", "tenant-2"]);

        registrations.get("tenant-1")!.resolve();
        await settle();
        expect(declared).toEqual(["tenant-0", "tenant-1", "tenant-2", "tenant-3"]);

        for (const item of items.slice(0, 6)) {
            registrations.get(item)!.resolve();
        }
        await settle();
        expect(declared).toEqual(items);
        expect(done).toBe(false);

        registrations.get("tenant-6")!.resolve();
        await expect(all).resolves.toEqual(items);
    });

    test("declares every item at once when the window holds them all", async () => {
        const items = ["a", "b", "c"];
        const registrations = items.map(() => pendingOutput());
        const declared: string[] = [];
        const all = declareInWindow(
            items,
            items.length,
            (item) => {
                declared.push(item);
                return item;
            },
            (item) => registrations[items.indexOf(item)].output,
        );
        expect(declared).toEqual(items);
        registrations.forEach((r) => r.resolve());
        await expect(all).resolves.toEqual(items);
    });

    test.each([
        ["a window", 2],
        ["every item at once", 5],
    ])("stops declaring at an item that throws, with %s", async (_, atOnce) => {
        const items = ["a", "b", "c", "d", "e"];
        const declared: string[] = [];
        const all = declareInWindow(
            items,
            atOnce,
            (item) => {
                if (item === "b") {
                    throw new Error("no image for ring canary");
                }
                declared.push(item);
                return item;
            },
            () => pulumi.output("urn"),
        );
        await expect(all).rejects.toThrow("no image for ring canary");
        await settle();
        expect(declared).toEqual(["a"]);
    });
});
