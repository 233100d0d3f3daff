import * as path from "node:path";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

export interface ZeptoClawImageArgs {
    /** "published": pull `<repository>:<version>` (optionally pinned by digest); "build": build from `context`. */
    source: "published" | "build";
    /** Repository of published images. Default in config: ghcr.io/qhkm/zeptoclaw. */
    repository: string;
    /** ZeptoClaw version: the published tag, and the tag given to a local build. */
    version: string;
    /** Optional `sha256:` digest that pins the published image beyond its tag. */
    digest?: string;
    /** Build context (a ZeptoClaw checkout), absolute or relative to `projectDir`. Required for "build". */
    context?: string;
    /** Dockerfile path relative to the context. Default: `Dockerfile`. */
    dockerfile?: string;
    /** Folder that relative paths are resolved against. */
    projectDir: string;
}

/** The published reference, e.g. `ghcr.io/qhkm/zeptoclaw:0.9.2` or `...:0.9.2@sha256:...`. */
export function publishedReference(
    args: Pick<ZeptoClawImageArgs, "repository" | "version" | "digest">,
): string {
    const tagged = `${args.repository}:${args.version}`;
    return args.digest === undefined ? tagged : `${tagged}@${args.digest}`;
}

/**
 * The ZeptoClaw image on one host's engine. Tenants use `id`, the image's immutable id: an
 * unchanged image restarts nobody, a new image replaces every tenant's container.
 */
export class ZeptoClawImage extends pulumi.ComponentResource {
    /** Immutable image id (`sha256:...`) on the target engine. */
    public readonly id: pulumi.Output<string>;
    /** Human-readable reference: the published reference or the local build tag. */
    public readonly reference: pulumi.Output<string>;

    constructor(name: string, args: ZeptoClawImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("zeptoclaw-fleet:image:ZeptoClawImage", name, {}, opts);
        if (args.source === "published") {
            const reference = publishedReference(args);
            const image = new docker.RemoteImage(
                `${name}/published`,
                { name: reference, keepLocally: true },
                { parent: this },
            );
            this.id = image.imageId;
            this.reference = pulumi.output(reference);
        } else {
            if (args.context === undefined) {
                throw new pulumi.RunError(
                    `ZeptoClawImage ${name}: a build needs a context (set zeptoclaw-fleet:imageContext)`,
                );
            }
            const context = path.resolve(args.projectDir, args.context);
            const tag = `zeptoclaw-fleet/zeptoclaw:${args.version}`;
            const image = new docker.Image(
                `${name}/build`,
                {
                    imageName: tag,
                    build: { context, dockerfile: path.join(context, args.dockerfile ?? "Dockerfile") },
                    skipPush: true,
                },
                { parent: this },
            );
            this.id = image.repoDigest;
            this.reference = image.imageName;
        }
        this.registerOutputs({ id: this.id, reference: this.reference });
    }
}
