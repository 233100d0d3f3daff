import { spawn } from "node:child_process";
import { inspectGateways } from "../cli/gatewayReadiness";
import { waitReady } from "../upgrade/waitReady";
import { MoveEffects } from "./runMove";
import { VolumeEnd, streamVolume } from "./volumeStream";

interface Ran {
    code: number | null;
    stdout: string;
    stderr: string;
}

function docker(env: NodeJS.ProcessEnv, args: string[]): Promise<Ran> {
    return new Promise((resolve, reject) => {
        const child = spawn("docker", args, { env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
        child.on("error", (err: NodeJS.ErrnoException) =>
            reject(err.code === "ENOENT" ? new Error("the docker CLI is not installed or not on PATH") : err),
        );
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

async function mustRun(env: NodeJS.ProcessEnv, args: string[], where: string): Promise<string> {
    const ran = await docker(env, args);
    if (ran.code !== 0) {
        const last = ran.stderr.trim().split("\n").pop() ?? "";
        throw new Error(
            `docker ${args.slice(0, 2).join(" ")} on ${where} failed (exit status ${ran.code}): ${last}`,
        );
    }
    return ran.stdout;
}

export type EngineEffects = Pick<
    MoveEffects,
    "containerState" | "volumeExists" | "stop" | "start" | "copyVolume" | "removeVolume" | "waitReady"
>;

/**
 * What a move does on the hosts' engines, through the Docker CLI with each stack's environment
 * (its dockerHost, and for SSH its pinned host key: lib/cli/stackEngine.ts). `timeoutMs` bounds
 * the wait for the moved tenant's health.
 */
export function engineEffects(engines: ReadonlyMap<string, VolumeEnd>, timeoutMs: number): EngineEffects {
    const env = (stack: string): NodeJS.ProcessEnv => {
        const end = engines.get(stack);
        if (end === undefined) {
            throw new Error(`no engine for stack ${stack}`);
        }
        return end.env;
    };
    return {
        async containerState(stack, container) {
            const ran = await docker(env(stack), [
                "inspect",
                "--type",
                "container",
                "--format",
                "{{.State.Running}}",
                container,
            ]);
            if (ran.code !== 0) {
                if (/no such/i.test(ran.stderr)) {
                    return "absent";
                }
                throw new Error(`docker inspect ${container} on ${stack} failed: ${ran.stderr.trim()}`);
            }
            return ran.stdout.trim() === "true" ? "running" : "stopped";
        },
        async volumeExists(stack, volume) {
            const ran = await docker(env(stack), ["volume", "inspect", volume]);
            if (ran.code !== 0 && !/no such/i.test(ran.stderr)) {
                throw new Error(`docker volume inspect ${volume} on ${stack} failed: ${ran.stderr.trim()}`);
            }
            return ran.code === 0;
        },
        // The container's own stop signal and timeout (SIGINT: ZeptoClaw stops on it at once).
        stop: async (stack, container) => void (await mustRun(env(stack), ["stop", container], stack)),
        start: async (stack, container) => void (await mustRun(env(stack), ["start", container], stack)),
        removeVolume: async (stack, volume) =>
            void (await mustRun(env(stack), ["volume", "rm", volume], stack)),
        copyVolume: (from, to, volume, tenant) =>
            streamVolume(engines.get(from)!, engines.get(to)!, volume, tenant),
        async waitReady(stack, container) {
            const inspect = (names: string[]) => inspectGateways(env(stack), names);
            // The version the target's program gave it: the wait is for health, not for a version.
            const [gateway] = await inspect([container]);
            const [outcome] = await waitReady(new Map([[container, container]]), gateway?.version ?? "", {
                inspect,
                timeoutMs,
            });
            return outcome.ready ? { ok: true } : { ok: false, reason: outcome.reason };
        },
    };
}
