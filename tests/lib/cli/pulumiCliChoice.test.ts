import { chooseCli } from "../../../lib/cli/pulumiCliChoice";

describe("chooseCli", () => {
    test("the installed CLI when it is the pinned version or a newer one of the same major", () => {
        expect(chooseCli("v3.248.0\n", "3.248.0")).toEqual({ kind: "installed", version: "3.248.0" });
        expect(chooseCli("v3.250.1", "3.248.0")).toEqual({ kind: "installed", version: "3.250.1" });
    });

    test("the pinned version when there is none, an older one, another major, or nonsense", () => {
        expect(chooseCli(undefined, "3.248.0")).toEqual({
            kind: "pinned",
            version: "3.248.0",
            reason: "no pulumi on PATH",
        });
        expect(chooseCli("v3.247.9", "3.248.0")).toEqual({
            kind: "pinned",
            version: "3.248.0",
            reason: "pulumi on PATH is 3.247.9, this project drives 3.248.0 or a newer 3.x",
        });
        expect(chooseCli("v4.0.0", "3.248.0")).toMatchObject({ kind: "pinned" });
        expect(chooseCli("warning: something\n", "3.248.0")).toMatchObject({
            kind: "pinned",
            reason: 'pulumi on PATH printed "warning: something" as its version',
        });
    });
});
