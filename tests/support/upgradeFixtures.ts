import { ImagePlan } from "../../lib/config/imagePlan";
import { ImageRing, parseImageRings } from "../../lib/config/imageRings";

/** Where a stack's imageRings are, as errors name them. */
export const ringsLocation = "Pulumi.prod.yaml: zeptoclaw-fleet:imageRings";

/** A stack that runs upstream's published image at 0.9.2. */
export const publishedImage: ImagePlan = {
    source: "published",
    repository: "ghcr.io/qhkm/zeptoclaw",
    version: "0.9.2",
};

/** The stack's rings from their imageRings entries, as the program reads them. */
export function ringsOf(entries: string[], image: ImagePlan = publishedImage): ImageRing[] {
    const parsed = parseImageRings(entries, image, ringsLocation);
    if (!parsed.ok) {
        throw new Error(JSON.stringify(parsed.problems));
    }
    return parsed.value;
}
