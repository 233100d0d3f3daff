import * as hcloud from "@pulumi/hcloud";
import { HostSize, ServerTypeInfo } from "../../lib/capacity/capacity";
import { InputProblem, inputError } from "../../lib/errors";
import { HetznerStackConfig, StackConfig } from "../../lib/config/stackConfig";
import { configLocation, configNamespace } from "../../lib/config/configLocation";
import { imageArchitectureProblems } from "../../lib/program/imageArchitecture";
import { unreachable } from "../../lib/unreachable";

function fromHcloud(t: hcloud.types.output.GetServerTypesServerType): ServerTypeInfo {
    return {
        name: t.name,
        memoryMb: Math.round(t.memory * 1024),
        cores: t.cores,
        architecture: t.architecture,
        deprecated: t.isDeprecated,
        locations: t.locations.filter((l) => l.available && !l.isDeprecated).map((l) => l.name),
    };
}

/**
 * The host's memory: from config for a local engine, from Hetzner's list of server types for a
 * server (asked at preview, so a wrong type name is refused before anything is created).
 */
export async function hostSize(settings: StackConfig, stack: string): Promise<HostSize> {
    switch (settings.hostKind) {
        case "local":
            return {
                memoryMb: settings.hostMemoryMb,
                sizeKey: `${configNamespace}:hostMemoryMb`,
                label: `host ${settings.hostName} (${settings.hostMemoryMb} MB)`,
            };
        case "hetzner":
            return serverSize(settings, stack);
        default:
            return unreachable(settings);
    }
}

async function serverSize(settings: HetznerStackConfig, stack: string): Promise<HostSize> {
    const sizeKey = `${configNamespace}:serverType`;
    const serverTypes = (await hcloud.getServerTypes()).serverTypes.map(fromHcloud);
    const current = serverTypes.find((t) => t.name === settings.serverType);
    const where = configLocation(stack, "serverType");
    const orderable = serverTypes.filter(
        (t) => !t.deprecated && t.locations.includes(settings.serverLocation),
    );
    const problems: InputProblem[] = [];
    if (current === undefined) {
        const names = orderable.map((t) => t.name).join(", ");
        problems.push({
            where,
            path: "",
            message: `"${settings.serverType}" is not a Hetzner server type; types in ${settings.serverLocation}: ${names}`,
        });
    } else if (!orderable.includes(current)) {
        problems.push({
            where,
            path: "",
            message: `"${settings.serverType}" cannot be ordered in ${settings.serverLocation} (deprecated or unavailable there); pick another type or location`,
        });
    } else {
        problems.push(...imageArchitectureProblems(current, settings.imageSource, stack));
    }
    if (problems.length > 0 || current === undefined) {
        throw inputError(problems);
    }
    return {
        memoryMb: current.memoryMb,
        sizeKey,
        label: `server type ${current.name} (${current.memoryMb} MB)`,
        serverTypes,
        current,
        location: settings.serverLocation,
    };
}
