import { withStacks, withStacksEntry } from "../../../lib/fleet/tenantFileStacks";

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

describe("withStacksEntry", () => {
    test("changes the one entry in a flow list, keeping every comment and the layout", () => {
        const text =
            "# Shop X\nname: shop-x # the tenant\nstacks: [dev, prod] # where it runs\nresources:\n    diskMb: 2048 # two years of sessions\n";
        expect(withStacksEntry(text, 1, "prod", "prod-fsn1-b")).toBe(
            "# Shop X\nname: shop-x # the tenant\nstacks: [dev, prod-fsn1-b] # where it runs\nresources:\n    diskMb: 2048 # two years of sessions\n",
        );
    });

    test("keeps the entry's quotes in a block list", () => {
        const text = "stacks:\n    - 'prod' # placed by hand later\n    - dev\n";
        expect(withStacksEntry(text, 0, "prod", "prod-a")).toBe(
            "stacks:\n    - 'prod-a' # placed by hand later\n    - dev\n",
        );
    });

    test("keeps a JSON tenant file JSON", () => {
        const text = '{\n  "name": "shop-x",\n  "stacks": ["prod", "dev"]\n}\n';
        expect(withStacksEntry(text, 0, "prod", "prod-a")).toBe(
            '{\n  "name": "shop-x",\n  "stacks": ["prod-a", "dev"]\n}\n',
        );
    });

    test("quotes a host name that YAML would read as a number", () => {
        expect(withStacksEntry("stacks: [prod]\n", 0, "prod", "2024")).toBe('stacks: ["2024"]\n');
    });

    test("leaves a file whose entry is not the environment alone", () => {
        expect(withStacksEntry("stacks: [dev]\n", 0, "prod", "prod-a")).toBeUndefined();
        expect(withStacksEntry("name: shop-x\n", 0, "prod", "prod-a")).toBeUndefined();
    });
});
