import { DockerConnection, dockerConnection } from "../status/dockerConnection";
import { StatusStackOutputs } from "../status/stackOutputs";
import { PulumiDriver } from "./pulumiDriver";
import { readStackOutputs } from "./readStackOutputs";

export type StackConnection =
    { ok: true; connection: DockerConnection; outputs: StatusStackOutputs } | { ok: false; message: string };

/**
 * How the operator commands reach a stack's host, from the stack's outputs: its engine's address
 * and, for an SSH host, the stack's pinned host key (never trust on first use).
 */
export function stackConnection(stack: string, projectRoot: string, pulumi: PulumiDriver): StackConnection {
    const read = readStackOutputs(stack, projectRoot, pulumi);
    if (!read.ok) {
        return read;
    }
    const plan = dockerConnection(stack, read.outputs);
    if (!plan.ok) {
        return plan;
    }
    return { ok: true, connection: plan.connection, outputs: read.outputs };
}
