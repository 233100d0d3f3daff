import { z } from "zod";

/** What `npm run status` needs from `pulumi stack output --json`. */
export interface StatusStackOutputs {
    /** The engine the program deploys to: `unix://`, `tcp://` or `ssh://`. */
    dockerHost: string;
    /** The host's pinned SSH key as a known_hosts line; set on SSH hosts only. */
    knownHostsLine?: string;
    /** The `com.zeptoclaw.host` label of this stack's containers. */
    hostName?: string;
}

// Loose: the stack has more outputs, and a newer program may add some.
const outputsSchema = z.looseObject({
    dockerHost: z.string().min(1).optional(),
    knownHostsLine: z.string().min(1).nullish(),
    hostName: z.string().min(1).nullish(),
});

export type ParsedStackOutputs = { ok: true; outputs: StatusStackOutputs } | { ok: false; message: string };

/** Reads the JSON printed by `pulumi stack output --json -s <stack>`. */
export function parseStackOutputs(stack: string, json: string): ParsedStackOutputs {
    let data: unknown;
    try {
        data = JSON.parse(json);
    } catch {
        return {
            ok: false,
            message: `pulumi stack output --json -s ${stack} did not print JSON; check that the Pulumi CLI works (pulumi whoami)`,
        };
    }
    const result = outputsSchema.safeParse(data);
    if (!result.success) {
        return {
            ok: false,
            message: `the outputs of stack "${stack}" are not what this program writes (${result.error.issues[0].path.join(".")}: ${result.error.issues[0].message}); run pulumi up -s ${stack}`,
        };
    }
    const { dockerHost, knownHostsLine, hostName } = result.data;
    if (dockerHost === undefined) {
        return {
            ok: false,
            message:
                Object.keys(result.data).length === 0
                    ? `stack "${stack}" has no outputs: it has not been deployed yet (pulumi up -s ${stack})`
                    : `stack "${stack}" has no dockerHost output: it was deployed by an older version of the program; run pulumi up -s ${stack} once`,
        };
    }
    return {
        ok: true,
        outputs: { dockerHost, knownHostsLine: knownHostsLine ?? undefined, hostName: hostName ?? undefined },
    };
}
