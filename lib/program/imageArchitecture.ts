import { InputProblem } from "../errors";
import { ServerTypeInfo } from "../capacity/capacity";
import { StackConfig } from "../config/stackConfig";
import { configLocation } from "../config/configLocation";

/**
 * Upstream publishes its image for linux/amd64 only: its release workflow builds on an x86 runner
 * with no platform list (.github/workflows/docker.yml at v0.9.2). On an ARM server (Hetzner's
 * cax* types, architecture "arm") a published image cannot run; one built on the host can.
 */
export function imageArchitectureProblems(
    serverType: ServerTypeInfo,
    imageSource: StackConfig["imageSource"],
    stack: string,
): InputProblem[] {
    if (serverType.architecture !== "arm" || imageSource !== "published") {
        return [];
    }
    return [
        {
            where: configLocation(stack, "serverType"),
            path: "",
            message:
                `"${serverType.name}" is an ARM server, but ZeptoClaw publishes its image for x86 (linux/amd64) only ` +
                `(.github/workflows/docker.yml at ZeptoClaw 0.9.2); pick an x86 type (cx*, cpx*, ccx*) or set imageSource to "build"`,
        },
    ];
}
