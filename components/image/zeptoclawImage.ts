import * as path from "node:path";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ImagePlan } from "../../lib/config/imagePlan";
import { unreachable } from "../../lib/unreachable";

export interface ZeptoClawImageArgs {
    plan: ImagePlan;
    /** Folder that a relative build context is resolved against. */
    projectDir: string;
}

/** The published reference, e.g. `ghcr.io/qhkm/zeptoclaw:0.9.2` or `...:0.9.2@sha256:...`. */
export function publishedReference(plan: Extract<ImagePlan, { source: "published" }>): string {
    const tagged = `${plan.repository}:${plan.version}`;
    return plan.digest === undefined ? tagged : `${tagged}@${plan.digest}`;
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
        const { plan } = args;
        switch (plan.source) {
            case "published": {
                const reference = publishedReference(plan);
                const image = new docker.RemoteImage(
                    `${name}/published`,
                    { name: reference, keepLocally: true },
                    { parent: this },
                );
                this.id = image.imageId;
                this.reference = pulumi.output(reference);
                break;
            }
            case "build": {
                const context = path.resolve(args.projectDir, plan.context);
                const tag = `zeptoclaw-fleet/zeptoclaw:${plan.version}`;
                const image = new docker.Image(
                    `${name}/build`,
                    {
                        imageName: tag,
                        build: { context, dockerfile: path.join(context, plan.dockerfile) },
                        skipPush: true,
                    },
                    { parent: this },
                );
                this.id = image.repoDigest;
                this.reference = image.imageName;
                break;
            }
            default:
                unreachable(plan);
        }
        this.registerOutputs({ id: this.id, reference: this.reference });
    }
}
