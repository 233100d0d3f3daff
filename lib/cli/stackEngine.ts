import { dockerEnvironment } from "./dockerEnvironment";
import { PulumiDriver } from "./pulumiDriver";
import { stackConnection } from "./stackConnection";

export type StackEngine =
    { ok: true; dockerHost: string; env: NodeJS.ProcessEnv } | { ok: false; message: string };

/**
 * The Docker CLI's environment for a stack's engine, from the stack's outputs: DOCKER_HOST, and
 * for an SSH host the stack's pinned host key as the only one accepted. `dir` is a private
 * temporary folder for the known_hosts file and the ssh wrapper.
 */
export function stackEngine(
    stack: string,
    projectRoot: string,
    pulumi: PulumiDriver,
    dir: string,
): StackEngine {
    const plan = stackConnection(stack, projectRoot, pulumi);
    if (!plan.ok) {
        return plan;
    }
    const prepared = dockerEnvironment(plan.connection, dir);
    if (!prepared.ok) {
        return prepared;
    }
    return { ok: true, dockerHost: plan.connection.dockerHost, env: prepared.env };
}
