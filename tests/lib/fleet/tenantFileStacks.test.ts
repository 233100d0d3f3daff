import { withStacks } from "../../../lib/fleet/tenantFileStacks";

describe("withStacks", () => {
    test("changes only the entry that differs; comments, layout and flow style stay", () => {
        const text =
            "# header\nname: shop-a # the name\nstacks: [dev, prod-a] # where\nzeptoclaw:\n    x: { secret: y } # c\n";
        expect(withStacks(text, ["dev", "prod-b"])).toBe(
            "# header\nname: shop-a # the name\nstacks: [dev, prod-b] # where\nzeptoclaw:\n    x: { secret: y } # c\n",
        );
    });

    test("a block list keeps its comments, a quoted entry its quotes", () => {
        expect(withStacks("stacks:\n    - dev # d\n    - 'prod-a' # p\n", ["dev", "prod-b"])).toBe(
            "stacks:\n    - dev # d\n    - 'prod-b' # p\n",
        );
    });

    test("a JSON file stays JSON, as written", () => {
        const text = '{\n  "name": "shop-a",\n  "stacks": ["prod-a"],\n  "z": 1\n}\n';
        const moved = withStacks(text, ["prod-b"]);
        expect(moved).toBe('{\n  "name": "shop-a",\n  "stacks": ["prod-b"],\n  "z": 1\n}\n');
        expect(JSON.parse(moved!)).toEqual({ name: "shop-a", stacks: ["prod-b"], z: 1 });
    });

    test("a file without such a list is not touched", () => {
        expect(withStacks("name: shop-a\n", ["prod-b"])).toBeUndefined();
        expect(withStacks("stacks: [dev]\n", ["dev", "prod-b"])).toBeUndefined();
        expect(withStacks("stacks: [dev\n", ["prod-b"])).toBeUndefined();
    });
});
