import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tenantYaml } from "../../support/tenantFiles";

/**
 * A project with two host stacks of environment prod and a tenant listed on both: each host's
 * preview refuses it, naming the tenant file and its key.
 */
test("a tenant on two hosts of one environment is refused at preview, naming the file and the key", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "zc-placement-"));
    try {
        fs.mkdirSync(path.join(root, "tenants"));
        for (const host of ["prod-a", "prod-b"]) {
            fs.writeFileSync(
                path.join(root, `Pulumi.${host}.yaml`),
                "config:\n    zeptoclaw-fleet:environment: prod\n",
            );
        }
        fs.writeFileSync(
            path.join(root, "tenants/shop-a.yaml"),
            tenantYaml("shop-a", { stacks: ["prod-a", "prod-b"] }),
        );
        fs.writeFileSync(
            path.join(root, "tenants/shop-b.yaml"),
            tenantYaml("shop-b", { stacks: ["prod-b"] }),
        );
        let message = "";
        await new Promise<void>((resolve) => {
            jest.isolateModules(() => {
                const pulumi = require("@pulumi/pulumi");
                pulumi.runtime.setAllConfig(
                    {
                        "zeptoclaw-fleet:environment": "prod",
                        "zeptoclaw-fleet:tenantsDir": path.join(root, "tenants"),
                    },
                    [],
                );
                void pulumi.runtime
                    .setMocks(
                        { newResource: () => ({ id: "x", state: {} }), call: () => ({}) },
                        "zeptoclaw-fleet",
                        "prod-b",
                        true,
                    )
                    .then(() => {
                        const { loadFleetConfig } = require("../../../lib/config/loadFleetConfig");
                        try {
                            loadFleetConfig(root);
                        } catch (err) {
                            message = (err as Error).message;
                        }
                        resolve();
                    });
            });
        });
        expect(message).toContain(
            'tenants/shop-a.yaml: stacks: lists prod-a and prod-b, hosts of the same environment "prod"',
        );
        expect(message).not.toContain("tenants/shop-b.yaml: stacks");
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
});
