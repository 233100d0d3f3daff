import { isDeepStrictEqual } from "node:util";
import { cpusReadBack } from "../../../lib/tenants/providerCpus";
import { FieldRule, nestedKeys } from "./providerSchema";

/**
 * What `pulumi up` does to one resource, given the state it stored and the inputs declared now.
 * - create: not in the state.
 * - replace: a ForceNew field changed, or one the program names in replaceOnChanges.
 * - update: the provider's Update runs; `engineUpdate` when it calls the engine's update.
 * - same: nothing to do.
 */
export interface ResourcePlan {
    action: "create" | "replace" | "update" | "same";
    /** The fields that differ between state and inputs. */
    fields: string[];
    engineUpdate: boolean;
}

/**
 * The bridge diffs the stored state (what the provider read back after its last create or
 * update) against the new inputs (pulumi-terraform-bridge's Diff over the schema), honouring
 * Pulumi's ignoreChanges and replaceOnChanges.
 */
export function planResource(
    rules: Readonly<Record<string, FieldRule>>,
    state: Record<string, unknown> | undefined,
    inputs: Record<string, unknown>,
    options: { ignoreChanges: string[]; replaceOnChanges: string[] },
): ResourcePlan {
    for (const key of Object.keys(inputs)) {
        if (rules[key] === undefined) {
            throw new Error(`the engine adapter does not map the input ${key}`);
        }
    }
    if (state === undefined) {
        return { action: "create", fields: [], engineUpdate: false };
    }
    const fields = Object.entries(rules)
        .filter(
            ([key, rule]) => !options.ignoreChanges.includes(key) && differs(rule, state[key], inputs[key]),
        )
        .map(([key]) => key);
    if (fields.length === 0) {
        return { action: "same", fields, engineUpdate: false };
    }
    const replaces = fields.some(
        (key) => rules[key].update === "replace" || options.replaceOnChanges.includes(key),
    );
    if (replaces) {
        return { action: "replace", fields, engineUpdate: false };
    }
    return { action: "update", fields, engineUpdate: fields.some((key) => rules[key].update === "engine") };
}

function differs(rule: FieldRule, stored: unknown, declared: unknown): boolean {
    if (declared === undefined && rule.computed) {
        return false;
    }
    const now = normalise(declared ?? rule.default, rule.set);
    const before = normalise(stored ?? rule.default, rule.set);
    return !isDeepStrictEqual(now, before);
}

/**
 * Drops unset object members and, for a set, the order of its elements. An empty list, set or
 * map is the same as none: the SDK's zero value for them (terraform-plugin-sdk/v2 schema).
 */
function normalise(value: unknown, asSet = false): unknown {
    if (value !== null && typeof value === "object" && Object.keys(value).length === 0) {
        return undefined;
    }
    if (Array.isArray(value)) {
        const items = value.map((v) => normalise(v));
        return asSet ? items.map((v) => JSON.stringify(v)).sort() : items;
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([, v]) => v !== undefined)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([k, v]) => [k, normalise(v)]),
        );
    }
    return value;
}

/** Fails on a nested key the adapter does not apply, naming its path: nothing is dropped silently. */
export function checkNested(kind: string, inputs: Record<string, unknown>): void {
    const visit = (path: string, value: unknown) => {
        const known = nestedKeys[path];
        if (known === undefined || value === null || typeof value !== "object") {
            return;
        }
        for (const item of Array.isArray(value) ? value : [value]) {
            for (const [key, inner] of Object.entries(item as Record<string, unknown>)) {
                if (!known.includes(key)) {
                    throw new Error(`the engine adapter does not map ${path.replace(/^\w+\./, "")}.${key}`);
                }
                visit(`${path}.${key}`, inner);
            }
        }
    };
    for (const [key, value] of Object.entries(inputs)) {
        visit(`${kind}.${key}`, value);
    }
}

/** The parts of `docker inspect` of a container that the provider's Read looks at. */
export interface InspectedContainer {
    Name: string;
    State: { Running: boolean };
    Config: {
        Cmd?: string[] | null;
        Entrypoint?: string[] | null;
        User?: string;
        StopSignal?: string;
        StopTimeout?: number;
        Healthcheck?: {
            Test?: string[];
            Interval?: number;
            Timeout?: number;
            StartPeriod?: number;
            StartInterval?: number;
            Retries?: number;
        };
    };
    HostConfig: {
        ReadonlyRootfs?: boolean;
        RestartPolicy?: { Name?: string };
        Init?: boolean | null;
        CapAdd?: string[] | null;
        CapDrop?: string[] | null;
        Mounts?: { Type?: string; Source?: string; Target?: string; ReadOnly?: boolean }[];
        Tmpfs?: Record<string, string>;
        Ulimits?: { Name: string; Soft: number; Hard: number }[] | null;
        Memory?: number;
        MemoryReservation?: number;
        MemorySwap?: number;
        NanoCpus?: number;
        CpuShares?: number;
        LogConfig?: { Type?: string; Config?: Record<string, string> };
        NetworkMode?: string;
        SecurityOpt?: string[] | null;
    };
}

const mib = 1024 * 1024;

/** A Go time.Duration's String() for the whole-second and millisecond values healthchecks use. */
export function goDuration(ns: number): string {
    if (ns === 0) {
        return "0s";
    }
    if (ns < 1e9) {
        return `${ns / 1e6}ms`;
    }
    const total = ns / 1e9;
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    return `${h > 0 ? `${h}h` : ""}${h > 0 || m > 0 ? `${m}m` : ""}${s}s`;
}

/**
 * The state the provider stores for a container: the declared inputs, overwritten by what
 * resourceDockerContainerRead (resource_docker_container_funcs.go) reads back from the engine.
 * It leaves labels, env, uploads, wait, attach and destroy_grace_seconds as declared, and sets
 * networks_advanced only when the state has none.
 */
export function containerReadBack(
    declared: Record<string, unknown>,
    info: InspectedContainer,
): Record<string, unknown> {
    const h = info.HostConfig;
    const c = info.Config;
    const state: Record<string, unknown> = {
        ...declared,
        name: info.Name.replace(/^\//, ""),
        command: c.Cmd ?? undefined,
        entrypoints: c.Entrypoint ?? undefined,
        user: c.User,
        readOnly: h.ReadonlyRootfs ?? false,
        restart: h.RestartPolicy?.Name,
        init: h.Init ?? false,
        mounts: (h.Mounts ?? []).map((m) => ({
            type: m.Type,
            source: m.Source,
            target: m.Target,
            readOnly: m.ReadOnly ?? false,
        })),
        tmpfs: h.Tmpfs,
        memory: (h.Memory ?? 0) / mib,
        memoryReservation: (h.MemoryReservation ?? 0) > 0 ? h.MemoryReservation! / mib : h.MemoryReservation,
        memorySwap: (h.MemorySwap ?? 0) > 0 ? h.MemorySwap! / mib : h.MemorySwap,
        cpuShares: h.CpuShares,
        logDriver: h.LogConfig?.Type,
        networkMode: h.NetworkMode,
        securityOpts: h.SecurityOpt ?? undefined,
        stopSignal: c.StopSignal,
        stopTimeout: c.StopTimeout,
    };
    // Capabilities only when the container has some; ulimits and log_opts only when declared.
    if ((h.CapAdd ?? []).length > 0 || (h.CapDrop ?? []).length > 0) {
        state.capabilities = capabilitiesInOrder({
            adds: h.CapAdd ?? undefined,
            drops: h.CapDrop ?? undefined,
        });
    }
    if (declared.ulimits !== undefined) {
        state.ulimits = (h.Ulimits ?? []).map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard }));
    }
    state.logOpts = declared.logOpts === undefined ? undefined : h.LogConfig?.Config;
    if ((h.NanoCpus ?? 0) > 0) {
        state.cpus = cpusReadBack(h.NanoCpus!);
    }
    if (c.Healthcheck !== undefined) {
        state.healthcheck = {
            tests: c.Healthcheck.Test,
            interval: goDuration(c.Healthcheck.Interval ?? 0),
            timeout: goDuration(c.Healthcheck.Timeout ?? 0),
            startPeriod: goDuration(c.Healthcheck.StartPeriod ?? 0),
            startInterval: goDuration(c.Healthcheck.StartInterval ?? 0),
            retries: c.Healthcheck.Retries ?? 0,
        };
    }
    // A stopped container that must run reads back must_run false, which plans an update.
    if (!info.State.Running && declared.mustRun !== false) {
        state.mustRun = false;
    }
    return state;
}

/**
 * The state the provider stores for a volume (resourceDockerVolumeRead, resource_docker_volume.go):
 * its name, its labels as the engine has them, its driver. `ownLabel` is the test suite's own
 * label, which the real program never sets.
 */
export function volumeReadBack(
    declared: Record<string, unknown>,
    info: { Name: string; Driver?: string; Labels?: Record<string, string> | null },
    ownLabel: string,
): Record<string, unknown> {
    const labels = Object.entries(info.Labels ?? {})
        .filter(([label]) => label !== ownLabel)
        .map(([label, value]) => ({ label, value }));
    return { ...declared, name: info.Name, driver: info.Driver, labels };
}

function sortedOrUndefined(list: unknown): string[] | undefined {
    return Array.isArray(list) && list.length > 0 ? [...(list as string[])].sort() : undefined;
}

/**
 * A container's inputs as the provider plans them: nested defaults filled in (healthcheck
 * durations "0s" and retries 0, mount read_only false, resource_docker_container.go) and the
 * add/drop sets of capabilities in a fixed order.
 */
export function containerDeclared(inputs: Record<string, unknown>): Record<string, unknown> {
    const declared: Record<string, unknown> = { ...inputs };
    if (inputs.healthcheck !== undefined) {
        declared.healthcheck = {
            interval: "0s",
            timeout: "0s",
            startPeriod: "0s",
            startInterval: "0s",
            retries: 0,
            ...(inputs.healthcheck as Record<string, unknown>),
        };
    }
    if (Array.isArray(inputs.mounts)) {
        declared.mounts = inputs.mounts.map((m: Record<string, unknown>) => ({ readOnly: false, ...m }));
    }
    declared.capabilities = capabilitiesInOrder(inputs.capabilities);
    return declared;
}

function capabilitiesInOrder(value: unknown): unknown {
    if (value === undefined) {
        return undefined;
    }
    const caps = value as { adds?: string[]; drops?: string[] };
    return { adds: sortedOrUndefined(caps.adds), drops: sortedOrUndefined(caps.drops) };
}
