import * as path from "node:path";

/** A file a git range changed, as `--changed` sees it. */
export type ChangedFile =
    | { kind: "stack settings"; stack: string }
    /** A tenant file: the stacks it listed before and after; undefined where the file was absent. */
    | { kind: "tenant"; path: string; before?: ReadonlyArray<string>; after?: ReadonlyArray<string> }
    /** A tenant file whose stacks could not be read (not parsable): it may be on any host. */
    | { kind: "unreadable tenant"; path: string }
    /** Documentation, tests, CI: nothing a deployment reads. */
    | { kind: "inert"; path: string }
    /** The program itself, its dependencies, Pulumi.yaml, the policy pack: every host. */
    | { kind: "program"; path: string };

/** Why a host is previewed. */
export interface ChangedHost {
    stack: string;
    reasons: string[];
}

/** Top-level folders and files no deployment reads. */
const inertPrefixes = ["docs/", "tests/", "bench/", ".github/", ".ci/", ".vscode/"];

/**
 * What kind of change a path is: stack settings, tenant file, inert, or program. `tenantsDirs` are
 * the stacks' tenant folders relative to the project (`tenantsDir`, default `tenants`). Anything not known to be inert is program,
 * so a new kind of file previews every host rather than none.
 */
export function classifyPath(
    file: string,
    tenantsDirs: ReadonlyArray<string>,
): "stack settings" | "tenant" | "inert" | "program" {
    const normal = path.posix.normalize(file);
    if (/^Pulumi\.[^/]+\.ya?ml$/.test(normal)) {
        return "stack settings";
    }
    if (tenantsDirs.some((dir) => normal.startsWith(`${path.posix.normalize(dir)}/`))) {
        return /\.(ya?ml|json)$/.test(normal) ? "tenant" : "inert";
    }
    if (inertPrefixes.some((p) => normal.startsWith(p)) || (/\.md$/.test(normal) && !normal.includes("/"))) {
        return "inert";
    }
    return "program";
}

/**
 * The hosts of an environment that a set of changes can affect, with why: a stack's own
 * settings; a tenant file, on every host it was on before or is on after (a move touches both);
 * an unreadable tenant file or a program change, on every host. Sorted by stack.
 */
export function changedHosts(
    changes: ReadonlyArray<ChangedFile>,
    environmentStacks: ReadonlyArray<string>,
): ChangedHost[] {
    const inEnvironment = new Set(environmentStacks);
    const reasons = new Map<string, string[]>();
    const add = (stack: string, reason: string) => {
        if (inEnvironment.has(stack)) {
            reasons.set(stack, [...(reasons.get(stack) ?? []), reason]);
        }
    };
    for (const change of changes) {
        switch (change.kind) {
            case "stack settings":
                add(change.stack, `Pulumi.${change.stack}.yaml`);
                break;
            case "tenant":
                for (const stack of new Set([...(change.before ?? []), ...(change.after ?? [])])) {
                    add(stack, change.path);
                }
                break;
            case "unreadable tenant":
            case "program":
                for (const stack of environmentStacks) {
                    add(stack, change.path);
                }
                break;
            case "inert":
                break;
        }
    }
    return [...reasons.entries()]
        .map(([stack, why]) => ({ stack, reasons: why }))
        .sort((a, b) => a.stack.localeCompare(b.stack));
}
