import { runProgram } from "../support/runProgram";
import { fleet, secretsFor, tenantYaml } from "../support/tenantFiles";

const CONTAINER = "docker:index/container:Container";
const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";

/** Three tenants: one in canary, one in early, one without a ring (main). */
const ringed = {
    tenantFiles: {
        "shop-a.yaml": tenantYaml("shop-a", { ring: "canary" }),
        "shop-b.yaml": tenantYaml("shop-b", { ring: "early" }),
        "shop-c.yaml": tenantYaml("shop-c"),
    },
    tenantSecrets: secretsFor(["shop-a", "shop-b", "shop-c"]),
};

function versionLabel(inputs: Record<string, any>): string {
    return (inputs.labels as { label: string; value: string }[]).find(
        (l) => l.label === "com.zeptoclaw.version",
    )!.value;
}

/** Runs the program expecting a RunError, and returns its message. */
async function refusal(options: Parameters<typeof runProgram>[0]): Promise<string> {
    try {
        await runProgram({ preview: true, ...options });
    } catch (err) {
        expect((err as { __pulumiRunError?: boolean }).__pulumiRunError).toBe(true);
        return (err as Error).message;
    }
    throw new Error("the program was expected to refuse this input");
}

describe("upgrade rings", () => {
    test("each distinct version is one image; a tenant runs its ring's image and carries its version", async () => {
        const run = await runProgram({
            ...ringed,
            config: { imageRings: ["canary=0.9.3", "early", "main"] },
        });
        const images = run.byType(REMOTE_IMAGE);
        expect(images.map((i) => [i.name, i.inputs.name])).toEqual([
            ["local/zeptoclaw/published", "ghcr.io/qhkm/zeptoclaw:0.9.2"],
            ["local/zeptoclaw@0.9.3/published", "ghcr.io/qhkm/zeptoclaw:0.9.3"],
        ]);
        const [stackImage, canaryImage] = images.map((i) => i.state.imageId);
        expect(stackImage).not.toBe(canaryImage);
        const gateway = (tenant: string) => run.one(CONTAINER, `${tenant}/gateway`).inputs;
        expect([gateway("shop-a").image, versionLabel(gateway("shop-a"))]).toEqual([canaryImage, "0.9.3"]);
        expect([gateway("shop-b").image, versionLabel(gateway("shop-b"))]).toEqual([stackImage, "0.9.2"]);
        expect([gateway("shop-c").image, versionLabel(gateway("shop-c"))]).toEqual([stackImage, "0.9.2"]);
        // The config writer stays on the stack's image: moving a ring rewrites no config.
        const writer = run.byType(CONTAINER).find((c) => c.name.endsWith("/writer"));
        expect(writer?.inputs.image).toBe(stackImage);
    });

    test("rings on one version share its image; the stack's digest pins only the stack's version", async () => {
        const digest = `sha256:${"a".repeat(64)}`;
        const run = await runProgram({
            ...ringed,
            config: { imageDigest: digest, imageRings: ["canary=0.9.3", "early=0.9.3", "main=0.9.2"] },
        });
        expect(run.byType(REMOTE_IMAGE).map((i) => i.inputs.name)).toEqual([
            `ghcr.io/qhkm/zeptoclaw:0.9.2@${digest}`,
            "ghcr.io/qhkm/zeptoclaw:0.9.3",
        ]);
        const image = (tenant: string) => run.one(CONTAINER, `${tenant}/gateway`).inputs.image;
        expect(image("shop-a")).toBe(image("shop-b"));
        expect(image("shop-a")).not.toBe(image("shop-c"));
    });

    test("a stack without rings and one whose only ring is main declare the same resources", async () => {
        const plain = await runProgram(fleet(["shop-a", "shop-b"]));
        const mainOnly = await runProgram({
            ...fleet(["shop-a", "shop-b"]),
            config: { imageRings: ["main"] },
        });
        const declared = (run: typeof plain) => run.resources.map((r) => ({ urn: r.urn, inputs: r.inputs }));
        expect(declared(mainOnly)).toEqual(declared(plain));
        expect(plain.byType(REMOTE_IMAGE).map((i) => i.name)).toEqual(["local/zeptoclaw/published"]);
    });

    test("preview refuses a ring the stack does not define, naming the tenant file and key", async () => {
        expect(await refusal({ ...ringed, config: { imageRings: ["canary", "main"] } })).toMatch(
            /shop-b\.yaml: ring: is "early", a ring this stack does not define \(Pulumi\.dev\.yaml: zeptoclaw-fleet:imageRings lists canary, main\)/,
        );
        expect(
            await refusal({
                ...ringed,
                tenantFiles: {
                    ...ringed.tenantFiles,
                    "shop-b.yaml": tenantYaml("shop-b", { ring: "Early" }),
                },
            }),
        ).toMatch(/shop-b\.yaml: ring: is a ring name \(lowercase letters, digits and '-'\)/);
        // Without imageRings the stack has one ring, main.
        expect(await refusal(ringed)).toMatch(/shop-a\.yaml: ring: is "canary".*lists main\)/);
    });

    test("preview refuses malformed rings, a ring list without main, and ring versions of a built image", async () => {
        expect(
            await refusal({ ...fleet(["shop-a"]), config: { imageRings: ["Canary=0.9.3", "main", "main"] } }),
        ).toMatch(
            /imageRings: \[0\]: is "Canary=0\.9\.3", not <ring> or <ring>=<version>[\s\S]*imageRings: \[2\]: ring "main" is listed twice/,
        );
        expect(await refusal({ ...fleet(["shop-a"]), config: { imageRings: ["canary"] } })).toMatch(
            /zeptoclaw-fleet:imageRings: does not list the ring "main"/,
        );
        expect(
            await refusal({
                ...fleet(["shop-a"]),
                config: {
                    imageSource: "build",
                    imageContext: "tests/fixtures/zeptoclaw-standin",
                    imageRings: ["canary=0.9.3", "main"],
                },
            }),
        ).toMatch(/imageRings: \[0\]: gives ring "canary" its own version, but imageSource is "build"/);
    });
});
