import { placeInTenantFile } from "../../../lib/fleet/placeInTenantFile";

describe("placeInTenantFile", () => {
    test("changes the one entry in a flow list, keeping every comment and the layout", () => {
        const text =
            "# Shop X\nname: shop-x # the tenant\nstacks: [dev, prod] # where it runs\nresources:\n    diskMb: 2048 # two years of sessions\n";
        expect(placeInTenantFile(text, 1, "prod", "prod-fsn1-b")).toBe(
            "# Shop X\nname: shop-x # the tenant\nstacks: [dev, prod-fsn1-b] # where it runs\nresources:\n    diskMb: 2048 # two years of sessions\n",
        );
    });

    test("keeps the entry's quotes in a block list", () => {
        const text = "stacks:\n    - 'prod' # placed by hand later\n    - dev\n";
        expect(placeInTenantFile(text, 0, "prod", "prod-a")).toBe(
            "stacks:\n    - 'prod-a' # placed by hand later\n    - dev\n",
        );
    });

    test("keeps a JSON tenant file JSON", () => {
        const text = '{\n  "name": "shop-x",\n  "stacks": ["prod", "dev"]\n}\n';
        expect(placeInTenantFile(text, 0, "prod", "prod-a")).toBe(
            '{\n  "name": "shop-x",\n  "stacks": ["prod-a", "dev"]\n}\n',
        );
    });

    test("quotes a host name that YAML would read as a number", () => {
        expect(placeInTenantFile("stacks: [prod]\n", 0, "prod", "2024")).toBe('stacks: ["2024"]\n');
    });

    test("refuses an entry that is not the environment", () => {
        expect(() => placeInTenantFile("stacks: [dev]\n", 0, "prod", "prod-a")).toThrow(
            'stacks[0] is not "prod"',
        );
    });
});
