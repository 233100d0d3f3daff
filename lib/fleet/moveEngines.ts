import { inspectGateways } from "../cli/gatewayReadiness";
import { Ran, lastLine, run } from "../cli/processRunner";
import { waitReady } from "../upgrade/waitReady";
import { MoveEffects } from "./runMove";
import { VolumeEnd, streamVolume } from "./volumeStream";

function docker(env: NodeJS.ProcessEnv, args: string[]): Promise<Ran> {
    return run("docker", args, { env });
}

async function mustRun(env: NodeJS.ProcessEnv, args: string[], where: string): Promise<string> {
    const ran = await docker(env, args);
    if (ran.code !== 0) {
        throw new Error(
            `docker ${args.slice(0, 2).join(" ")} on ${where} failed (exit status ${ran.code}): ${lastLine(ran.stderr)}`,
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
