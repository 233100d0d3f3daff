import * as http from "node:http";
import { StackConfig } from "../config/stackConfig";
import { configLocation } from "../config/configLocation";
import { InputProblem } from "../errors";
import { unreachable } from "../unreachable";
import { healthStartFor, startIntervalApiVersion } from "./tenantHostRuntime";

/**
 * The API version the Docker engine at a unix:// dockerHost speaks (the ApiVersion of its
 * GET /version), or undefined where it cannot be asked from here: another transport, no engine,
 * no answer within `timeoutMs`. The provider then reports what it finds itself.
 */
export function localEngineApiVersion(dockerHost: string, timeoutMs = 2000): Promise<string | undefined> {
    const socketPath = /^unix:\/\/(.+)$/.exec(dockerHost)?.[1];
    if (socketPath === undefined) {
        return Promise.resolve(undefined);
    }
    return new Promise((resolve) => {
        const request = http.get({ socketPath, path: "/version", timeout: timeoutMs }, (response) => {
            let body = "";
            response.setEncoding("utf8");
            response.on("data", (chunk: string) => (body += chunk));
            response.on("end", () => {
                try {
                    const version = (JSON.parse(body) as { ApiVersion?: unknown }).ApiVersion;
                    resolve(typeof version === "string" ? version : undefined);
                } catch {
                    resolve(undefined);
                }
            });
        });
        request.on("timeout", () => request.destroy());
        request.on("error", () => resolve(undefined));
    });
}

/**
 * A stack whose dockerApiVersion promises start probes its engine cannot run: the provider's
 * Docker client would refuse every tenant's container at `up` ("specify health-check start
 * interval"), after the preview passed. `engineApi` is what the engine says, when it was asked.
 */
export function startIntervalProblems(
    dockerApiVersion: string,
    engineApi: string | undefined,
    dockerHost: string,
    stack: string,
): InputProblem[] {
    if (
        engineApi === undefined ||
        healthStartFor(dockerApiVersion) === "steady-interval" ||
        healthStartFor(engineApi) === "start-interval"
    ) {
        return [];
    }
    return [
        {
            where: configLocation(stack, "dockerApiVersion"),
            path: "",
            message:
                `is ${dockerApiVersion}, but the engine at ${dockerHost} speaks API ${engineApi}, which has no ` +
                `healthcheck start_interval (API ${startIntervalApiVersion}, Docker 25): set it to the engine's ` +
                `(pulumi config set dockerApiVersion ${engineApi} -s ${stack}) or upgrade the engine`,
        },
    ];
}

/**
 * The engine's API against what the stack says of it, before anything is declared. A Hetzner
 * host's API is its image's Docker (lib/config/hostImages.ts); a local engine is asked where it can be.
 */
export async function engineApiProblems(settings: StackConfig, stack: string): Promise<InputProblem[]> {
    switch (settings.hostKind) {
        case "hetzner":
            return [];
        case "local":
            return startIntervalProblems(
                settings.dockerApiVersion,
                await localEngineApiVersion(settings.dockerHost),
                settings.dockerHost,
                stack,
            );
        default:
            return unreachable(settings);
    }
}
