import * as fs from "node:fs";
import * as path from "node:path";
import { readTenantSources } from "../../../lib/tenants/readTenantSources";
import { tempDir } from "../../support/tempDir";

test("reads every tenant file whole, sorted, named from the project, and nothing else", () => {
    const root = tempDir("zc-sources-");
    const dir = path.join(root, "tenants");
    fs.mkdirSync(dir);
    // Larger than the reader's first buffer, with multi-byte characters across its boundaries.
    const large = `name: b\n# ${"ä€😀".repeat(40_000)}\n`;
    const files: Record<string, string> = {
        "b.yaml": large,
        "a.json": '{"name": "a"}',
        "c.yml": "name: c\n",
        "empty.yaml": "",
        "README.md": "not a tenant",
        "a.yaml~": "an editor's backup",
    };
    for (const [name, text] of Object.entries(files)) {
        fs.writeFileSync(path.join(dir, name), text);
    }
    expect(readTenantSources(dir, root)).toEqual([
        { file: "tenants/a.json", text: files["a.json"] },
        { file: "tenants/b.yaml", text: large },
        { file: "tenants/c.yml", text: files["c.yml"] },
        { file: "tenants/empty.yaml", text: "" },
    ]);
});
