import * as fs from "node:fs";
import * as path from "node:path";
import { tenantSecretRefsCommand } from "../../scripts/tenantSecretRefs";
import { runInProcess } from "../support/runInProcess";
import { tenantYaml } from "../support/tenantFiles";
import { tempDir } from "../support/tempDir";

const repo = path.resolve(__dirname, "..", "..");

function project(): string {
    const dir = tempDir("zc-secret-refs-");
    for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"]) {
        fs.copyFileSync(path.join(repo, f), path.join(dir, f));
    }
    fs.mkdirSync(path.join(dir, "tenants"));
    fs.writeFileSync(path.join(dir, "tenants/shop-a.yaml"), tenantYaml("shop-a"));
    fs.writeFileSync(path.join(dir, "tenants/shop-b.yaml"), tenantYaml("shop-b", { stacks: ["prod"] }));
    return dir;
}

describe("tenantSecretRefs (dev-up.sh's list of secrets to give placeholders)", () => {
    test("prints each secret the stack's tenants reference, once per tenant", async () => {
        const result = await runInProcess("tenant-secret-refs", tenantSecretRefsCommand, ["dev"], project());
        expect(result).toEqual({
            status: 0,
            stdout: expect.stringMatching(/^shop-a anthropicApiKey\n/),
            stderr: "",
        });
        expect(result.stdout).not.toMatch(/shop-b/);
    });

    test("refuses an unknown stack, or none, with the usage status", async () => {
        const dir = project();
        expect(
            await runInProcess("tenant-secret-refs", tenantSecretRefsCommand, ["staging"], dir),
        ).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(/stack "staging" does not exist/),
        });
        expect(await runInProcess("tenant-secret-refs", tenantSecretRefsCommand, [], dir)).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(/name one stack\nusage:/),
        });
    });
});
