import { HostStack } from "../project/hostStack";

/** What a move is decided from: the project's host stacks and the tenant's file, as read. */
export interface MoveFacts {
    tenant: string;
    target: string;
    hosts: ReadonlyArray<HostStack>;
    /** The tenant's file (as shown to the operator) and the stacks it lists; undefined when none. */
    file?: { path: string; stacks: ReadonlyArray<string> };
    /** The secret names the tenant's file references: they live in each host stack's config. */
    secrets: ReadonlyArray<string>;
    container: string;
    volume: string;
}

/** One step of a move, in the order they run. */
export type MoveStep =
    /** Copy the tenant's secrets from one stack's config to another's, each stored encrypted. */
    | { kind: "copy secrets"; from: string; to: string; names: string[] }
    /** Write the tenant file with these stacks. */
    | { kind: "place"; file: string; stacks: string[] }
    /** `pulumi preview` of a stack: everything its `up` would check, before anything stops. */
    | { kind: "preview"; stack: string }
    /** The source has the container and the volume; the target has no volume of that name. */
    | { kind: "check engines"; from: string; to: string; container: string; volume: string }
    | { kind: "stop"; stack: string; container: string }
    /** A tar stream of the volume on `from` into a volume of the same name on `to`. */
    | { kind: "copy data"; from: string; to: string; volume: string }
    | { kind: "up"; stack: string }
    /** The container runs on `stack` and Docker reports it healthy. */
    | { kind: "ready"; stack: string; container: string };

export interface MovePlan {
    tenant: string;
    source: string;
    target: string;
    environment: string;
    file: string;
    container: string;
    volume: string;
    steps: MoveStep[];
}

/**
 * The move of a tenant to another host of its environment, or why it is refused. The target
 * must be a host stack; the tenant must be on exactly one other host of the target's
 * environment (two would be refused by every preview already: lib/fleet/placement.ts).
 *
 * Order: secrets and placement first, and the target's preview with the tenant on it (capacity,
 * policy, uids, ports: all the target's `up` would refuse), while the tenant still runs. Then the
 * tenant stops on the source before its data's one copy, so no second poller ever holds its bot
 * token; the target's `up` creates its container on the copied volume and the tenant is back
 * once it is ready. Only then does the source's `up` remove the stopped container there (the
 * volume is retained): its time is not the tenant's downtime. A stopped container stays stopped
 * (`unless-stopped`, and the watchdog restarts only running, unhealthy ones).
 */
export function planMove(facts: MoveFacts): { ok: true; plan: MovePlan } | { ok: false; message: string } {
    const { tenant, target, hosts, file } = facts;
    const host = hosts.find((h) => h.stack === target);
    if (host === undefined) {
        const known = hosts.map((h) => h.stack).join(", ") || "none";
        return { ok: false, message: `"${target}" is not a host stack of this project (stacks: ${known})` };
    }
    if (file === undefined) {
        return { ok: false, message: `no tenant "${tenant}" in the tenant files` };
    }
    const environment = host.environment;
    const sameEnvironment = new Set(hosts.filter((h) => h.environment === environment).map((h) => h.stack));
    const placed = file.stacks.filter((s) => sameEnvironment.has(s));
    if (placed.includes(target)) {
        return { ok: false, message: `${tenant} is already on ${target} (${file.path}: stacks)` };
    }
    if (placed.length === 0) {
        return {
            ok: false,
            message:
                `${tenant} is on no host of environment "${environment}" (${file.path} lists ` +
                `${file.stacks.join(", ") || "no stack"}): there is nothing to move to ${target}; ` +
                `to start it there, add ${target} to its stacks`,
        };
    }
    if (placed.length > 1) {
        return {
            ok: false,
            message: `${file.path} places ${tenant} on ${placed.join(" and ")}, more than one host of "${environment}"; keep one first`,
        };
    }
    const source = placed[0];
    const stacks = file.stacks.map((s) => (s === source ? target : s));
    const { container, volume } = facts;
    return {
        ok: true,
        plan: {
            tenant,
            source,
            target,
            environment,
            file: file.path,
            container,
            volume,
            steps: [
                { kind: "copy secrets", from: source, to: target, names: [...facts.secrets] },
                { kind: "place", file: file.path, stacks },
                { kind: "preview", stack: target },
                { kind: "check engines", from: source, to: target, container, volume },
                { kind: "stop", stack: source, container },
                { kind: "copy data", from: source, to: target, volume },
                { kind: "up", stack: target },
                { kind: "ready", stack: target, container },
                { kind: "up", stack: source },
            ],
        },
    };
}

/** What puts things back after a failure before the placement took effect. */
export type UndoAction =
    | { kind: "start"; stack: string; container: string }
    | { kind: "remove volume"; stack: string; volume: string }
    | { kind: "restore file"; file: string }
    | { kind: "remove secrets"; stack: string; tenant: string };

/** After a failed step: what to undo (in this order), and what to tell the operator. */
export interface MoveFailure {
    undo: UndoAction[];
    lines: string[];
}

/** The index of the first step that changes what runs: the target's `up` applies the new placement. */
export function placementIndex(plan: MovePlan): number {
    return plan.steps.findIndex((s) => s.kind === "up");
}

/**
 * What a failure of step `failed` (an index into plan.steps) leaves, and how to go back. Before
 * the placement took effect, everything done is undone: the source container is started again
 * (it was stopped only if the stop was reached), a copy on the target removed (the target had no
 * volume of that name: checked before the stop), the file and the target's secrets restored.
 * After it, nothing is undone automatically: the lines say where the tenant and its data are,
 * that the same command goes on with the move, and how to go back.
 */
export function moveFailure(plan: MovePlan, failed: number, reason: string): MoveFailure {
    const { tenant, source, target, container, volume, file } = plan;
    const step = plan.steps[failed];
    const lines = [`${describeStep(step)} failed: ${reason}`];
    if (failed < placementIndex(plan)) {
        const reached = (kind: MoveStep["kind"]) => plan.steps.findIndex((s) => s.kind === kind) <= failed;
        const undo: UndoAction[] = [];
        if (reached("copy data")) {
            undo.push({ kind: "remove volume", stack: target, volume });
        }
        if (reached("stop")) {
            undo.push({ kind: "start", stack: source, container });
        }
        if (reached("place")) {
            undo.push({ kind: "restore file", file });
        }
        undo.push({ kind: "remove secrets", stack: target, tenant });
        lines.push(
            `nothing was moved: ${tenant} stays on ${source}` +
                (reached("stop") ? " (started again)" : "") +
                `; its volume ${volume} there was not changed`,
        );
        return { undo, lines };
    }
    if (step.kind === "up" && step.stack === source) {
        return {
            undo: [],
            lines: [
                ...lines,
                `${tenant} runs on ${target}, healthy, on its copied data; ${source} still has its stopped ` +
                    `container, and its volume ${volume} unchanged`,
                `to finish the move: fix the cause, then run npm run fleet -- move ${tenant} ${target} again ` +
                    `(its pulumi up -s ${source} removes the stopped container; the volume stays)`,
            ],
        };
    }
    return {
        undo: [],
        lines: [
            ...lines,
            `${file} places ${tenant} on ${target}, where it is not ready; on ${source} its container ` +
                `is stopped, not removed, and its volume ${volume} is unchanged`,
            `look at it: npm run status -- -s ${target}; npm run logs -- -s ${target} ${tenant}; ` +
                `to finish the move, run npm run fleet -- move ${tenant} ${target} again: it goes on from this step`,
            `to go back to ${source}: git checkout -- ${file}; pulumi up --refresh -s ${target} ` +
                `(removes the container there, if any); then start it on ${source}: docker start ${container} ` +
                `(with DOCKER_HOST set to ${source}'s dockerHost output)`,
        ],
    };
}

/** The step as the operator reads it. */
export function describeStep(step: MoveStep): string {
    switch (step.kind) {
        case "copy secrets":
            return `copying ${step.names.length} secret(s) from ${step.from} to ${step.to}`;
        case "place":
            return `writing ${step.file} with stacks [${step.stacks.join(", ")}]`;
        case "preview":
            return `pulumi preview -s ${step.stack}`;
        case "check engines":
            return `checking ${step.from} has ${step.container} and ${step.volume}, and ${step.to} has no ${step.volume}`;
        case "stop":
            return `stopping ${step.container} on ${step.stack}`;
        case "copy data":
            return `copying the volume ${step.volume} from ${step.from} to ${step.to}`;
        case "up":
            return `pulumi up -s ${step.stack}`;
        case "ready":
            return `waiting until ${step.container} is healthy on ${step.stack}`;
    }
}
