import * as fs from "node:fs";
import * as path from "node:path";
import { tenantYaml } from "../../support/tenantFiles";
import { tempDir } from "../../support/tempDir";

/**
 * Runs loadFleetConfig for `stack` (environment prod) on a project with host stacks prod-a and
 * prod-b, the tenant files given (by their stacks, or their whole text), and returns the error it
 * throws ("" when none).
 */
async function previewError(stack: string, tenants: Record<string, string[] | string>): Promise<string> {
    const root = tempDir("zc-placement-");
    try {
        fs.mkdirSync(path.join(root, "tenants"));
        for (const host of ["prod-a", "prod-b"]) {
            fs.writeFileSync(
                path.join(root, `Pulumi.${host}.yaml`),
                "config:\n    zeptoclaw-fleet:environment: prod\n",
            );
        }
        fs.writeFileSync(
            path.join(root, "Pulumi.dev.yaml"),
            "config:\n    zeptoclaw-fleet:hostKind: local\n",
        );
        for (const [name, stacks] of Object.entries(tenants)) {
            fs.writeFileSync(
                path.join(root, `tenants/${name}.yaml`),
                typeof stacks === "string" ? stacks : tenantYaml(name, { stacks }),
            );
        }
        let message = "";
        await new Promise<void>((resolve) => {
            jest.isolateModules(() => {
                const pulumi = require("@pulumi/pulumi");
                pulumi.runtime.setAllConfig(
                    {
                        ...(stack === "dev" ? {} : { "zeptoclaw-fleet:environment": "prod" }),
                        "zeptoclaw-fleet:tenantsDir": path.join(root, "tenants"),
                    },
                    [],
                );
                void pulumi.runtime
                    .setMocks(
                        { newResource: () => ({ id: "x", state: {} }), call: () => ({}) },
                        "zeptoclaw-fleet",
                        stack,
                        true,
                    )
                    .then(() => {
                        const { loadFleetConfig } = require("../../../lib/program/loadFleetConfig");
                        try {
                            loadFleetConfig(root);
                        } catch (err) {
                            message = (err as Error).message;
                        }
                        resolve();
                    });
            });
        });
        return message;
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}

test("a tenant on two hosts of one environment is refused at preview, naming the file and the key", async () => {
    const message = await previewError("prod-b", { "shop-a": ["prod-a", "prod-b"], "shop-b": ["prod-b"] });
    expect(message).toContain(
        'tenants/shop-a.yaml: stacks: lists prod-a and prod-b, hosts of the same environment "prod"',
    );
    expect(message).not.toContain("tenants/shop-b.yaml: stacks");
});

test("a tenant listing the environment and none of its hosts is refused by its hosts' previews, not by dev's", async () => {
    const tenants = { "shop-a": ["dev", "prod"], "shop-b": ["prod-b"] };
    const message = await previewError("prod-a", tenants);
    expect(message).toContain(
        'tenants/shop-a.yaml: stacks[1]: is the environment "prod", and the tenant is on none of its hosts (prod-a, prod-b); choose one with npm run fleet -- place -e prod',
    );
    expect(message).not.toContain("does not exist");
    expect(message).not.toContain("tenants/shop-b.yaml: stacks");
    // dev's preview refuses nothing about it: the tenant's prod entry is prod's business.
    expect(await previewError("dev", tenants)).not.toMatch(/stacks/);
});

test("a host's preview refuses the mistakes of its own tenants' files, and leaves another host's to it", async () => {
    const tenants = {
        "shop-a": ["prod-a"],
        "shop-b": tenantYaml("shop-b", { stacks: ["prod-b"], resources: { memoryMb: "lots" } }),
    };
    // prod-a's preview still refuses something (this project sets no secrets), never shop-b.
    expect(await previewError("prod-a", tenants)).not.toContain("shop-b");
    expect(await previewError("prod-b", tenants)).toContain("tenants/shop-b.yaml: resources.memoryMb:");
});

test("a tenant file on no known stack is refused by every host's preview", async () => {
    const tenants = { "shop-a": ["prod-a"], "shop-b": ["prdo-b"] };
    for (const stack of ["dev", "prod-a", "prod-b"]) {
        expect(await previewError(stack, tenants)).toContain(
            'tenants/shop-b.yaml: stacks[0]: stack "prdo-b" does not exist',
        );
    }
});
