import { ImagePlan } from "../../../lib/config/imagePlan";
import { distinctImages, parseImageRings } from "../../../lib/config/imageRings";

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
        expect(parsed.ok && distinctImages(pinned, parsed.value)).toEqual([
            pinned,
            { source: "published", repository: "ghcr.io/qhkm/zeptoclaw", version: "0.9.3" },
        ]);
    });
});
