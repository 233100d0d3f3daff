import { pulumiFailure } from "../../../lib/fleet/pulumiFailure";

describe("pulumiFailure", () => {
    test("keeps the last two error lines of the command's output, not its section header lines", () => {
        const message = [
            "code: 255",
            "stdout: Previewing update (prod-a):",
            "  docker:index/container:Container zc-shop-a  creating",
            "  error: update failed",
            "stderr: error: the header line is dropped",
            "  error: container zc-shop-a failed to be in healthy state",
            "",
        ].join("\n");
        expect(pulumiFailure(message)).toBe(
            "error: update failed error: container zc-shop-a failed to be in healthy state",
        );
    });

    test("without an error line, the last lines; with nothing, 'failed'", () => {
        expect(pulumiFailure("code: 1\nfirst\nsecond\nthird")).toBe("second third");
        expect(pulumiFailure("code: 1\n\n")).toBe("failed");
    });

    test("a long line is cut at 300 characters", () => {
        expect(pulumiFailure(`error: ${"x".repeat(400)}`)).toHaveLength(300);
    });
});
