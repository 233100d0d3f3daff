import { InputProblem } from "../errors";
import { Tenant } from "../tenants/tenant";
import { defaultRing, ringNamePattern } from "../tenants/tenantSchema";
import { unreachable } from "../unreachable";
import { ImagePlan } from "./imagePlan";

/**
 * One entry of `imageRings`: `<ring>` (the ring runs the stack's image) or `<ring>=<version>`
 * (the ring runs the published image at that version). A string, not an object, because
 * Pulumi.yaml can declare a list of strings but not a list of objects.
 */
export interface RingSetting {
    name: string;
    /** Its own version; absent, the ring runs the stack's image (imageVersion, imageDigest). */
    version?: string;
}

/** A ring as the program deploys it: its name and the image its tenants run. */
export interface ImageRing {
    name: string;
    /** Its position in `imageRings`, for `pulumi config set --path 'imageRings[<index>]'`. */
    index: number;
    /** What the entry says. */
    setting: RingSetting;
    image: ImagePlan;
}

const versionPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** The `imageRings` entry for a ring running `version`, or the stack's image. */
export function ringEntry(setting: RingSetting): string {
    return setting.version === undefined ? setting.name : `${setting.name}=${setting.version}`;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; problems: InputProblem[] };

/**
 * Reads `imageRings` against the stack's image plan. No rings configured is one ring, `main`,
 * on the stack's image: the fleet as it was before rings existed.
 */
export function parseImageRings(
    entries: ReadonlyArray<string>,
    stackImage: ImagePlan,
    where: string,
): Parsed<ImageRing[]> {
    if (entries.length === 0) {
        return {
            ok: true,
            value: [{ name: defaultRing, index: 0, setting: { name: defaultRing }, image: stackImage }],
        };
    }
    const problems: InputProblem[] = [];
    const rings: ImageRing[] = [];
    const seen = new Set<string>();
    entries.forEach((entry, index) => {
        const problem = (message: string) => problems.push({ where, path: `[${index}]`, message });
        const [name, version, ...rest] = entry.split("=");
        if (!ringNamePattern.test(name) || rest.length > 0) {
            problem(
                `is "${entry}", not <ring> or <ring>=<version>; a ring is lowercase letters, digits and '-' (such as canary=0.9.3 or main)`,
            );
            return;
        }
        if (seen.has(name)) {
            problem(`ring "${name}" is listed twice; list each ring once, in upgrade order`);
            return;
        }
        seen.add(name);
        if (version !== undefined && !versionPattern.test(version)) {
            problem(`"${version}" is not a version tag such as 0.9.2`);
            return;
        }
        const setting: RingSetting = version === undefined ? { name } : { name, version };
        const image = ringImage(stackImage, setting);
        if (!image.ok) {
            problem(image.message);
            return;
        }
        rings.push({ name, index, setting, image: image.plan });
    });
    if (problems.length === 0 && !seen.has(defaultRing)) {
        problems.push({
            where,
            path: "",
            message: `does not list the ring "${defaultRing}", where tenant files without a ring run; add it (usually last)`,
        });
    }
    return problems.length > 0 ? { ok: false, problems } : { ok: true, value: rings };
}

/** The image a ring runs: the stack's, or the stack's published repository at the ring's version. */
function ringImage(
    stackImage: ImagePlan,
    setting: RingSetting,
): { ok: true; plan: ImagePlan } | { ok: false; message: string } {
    if (setting.version === undefined || setting.version === stackImage.version) {
        return { ok: true, plan: stackImage };
    }
    switch (stackImage.source) {
        case "published":
            // The stack's digest pins the stack's version only; a ring's own version is its tag.
            return {
                ok: true,
                plan: { source: "published", repository: stackImage.repository, version: setting.version },
            };
        case "build":
            return {
                ok: false,
                message: `gives ring "${setting.name}" its own version, but imageSource is "build": one build context holds one version, so every ring runs it; remove "=${setting.version}" or publish the versions and set imageSource to "published"`,
            };
        default:
            return unreachable(stackImage);
    }
}

/** A tenant with the image its ring runs. */
export interface TenantImage {
    tenant: Tenant;
    image: ImagePlan;
}

/**
 * Each tenant with the image of its ring, in the tenants' order; a tenant naming a ring the
 * stack does not define is a problem of its file's `ring` key instead.
 */
export function tenantImages(
    tenants: ReadonlyArray<Tenant>,
    rings: ReadonlyArray<ImageRing>,
    ringsLocation: string,
): { tenantImages: TenantImage[]; problems: InputProblem[] } {
    const byName = new Map(rings.map((r) => [r.name, r.image]));
    const found: TenantImage[] = [];
    const problems: InputProblem[] = [];
    for (const tenant of tenants) {
        const image = byName.get(tenant.ring);
        if (image !== undefined) {
            found.push({ tenant, image });
        } else {
            problems.push({
                where: tenant.file,
                path: "ring",
                message: `is "${tenant.ring}", a ring this stack does not define (${ringsLocation} lists ${[...byName.keys()].join(", ")}); use one of those or add the ring there`,
            });
        }
    }
    return { tenantImages: found, problems };
}
