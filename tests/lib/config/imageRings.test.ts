import { ImagePlan } from "../../../lib/config/imagePlan";
import { parseImageRings, tenantImages } from "../../../lib/config/imageRings";
import { Tenant } from "../../../lib/tenants/tenant";

const where = "Pulumi.prod.yaml: zeptoclaw-fleet:imageRings";
const pinned: ImagePlan = {
    source: "published",
    repository: "ghcr.io/qhkm/zeptoclaw",
    version: "0.9.2",
    digest: `sha256:${"a".repeat(64)}`,
};

describe("parseImageRings", () => {
    test("a ring naming the stack's version runs the stack's image, digest included; another version its tag", () => {
        const parsed = parseImageRings(["canary=0.9.3", "main=0.9.2"], pinned, where);
        expect(parsed.ok && parsed.value.map((r) => [r.name, r.index, r.image])).toEqual([
            ["canary", 0, { source: "published", repository: "ghcr.io/qhkm/zeptoclaw", version: "0.9.3" }],
            ["main", 1, pinned],
        ]);
    });
});

describe("tenantImages", () => {
    const parsed = parseImageRings(["canary=0.9.3", "main"], pinned, where);
    const rings = parsed.ok ? parsed.value : [];
    const tenant = (name: string, ring: string) => ({ name, ring, file: `tenants/${name}.yaml` }) as Tenant;

    test("each tenant with its ring's image, in the tenants' order", () => {
        const [a, b] = [tenant("shop-a", "main"), tenant("shop-b", "canary")];
        expect(tenantImages([a, b], rings, where)).toEqual({
            tenantImages: [
                { tenant: a, image: pinned },
                {
                    tenant: b,
                    image: { source: "published", repository: "ghcr.io/qhkm/zeptoclaw", version: "0.9.3" },
                },
            ],
            problems: [],
        });
    });

    test("a ring the stack does not define is the tenant file's problem, naming the rings there are", () => {
        expect(tenantImages([tenant("shop-c", "beta")], rings, where)).toEqual({
            tenantImages: [],
            problems: [
                {
                    where: "tenants/shop-c.yaml",
                    path: "ring",
                    message: `is "beta", a ring this stack does not define (${where} lists canary, main); use one of those or add the ring there`,
                },
            ],
        });
    });
});
