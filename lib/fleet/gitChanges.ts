import { parseTenantFile } from "../tenants/parseTenantFile";
import { ChangedFile, classifyPath } from "./changedHosts";

/** Runs git in the project; the output, or undefined when git failed (a path absent at a revision). */
export type Git = (args: string[]) => string | undefined;

/** The two revisions a range compares, as `git diff` reads it. */
export interface GitRange {
    before: string;
    after: string;
}

/**
 * `A...B`: from where B left A (their merge base) to B, what a pull request changes. `A..B`: from
 * A to B. `A`: from A to HEAD. An empty side is HEAD, as in git.
 */
export function parseGitRange(range: string): { kind: "merge-base" | "direct"; from: string; to: string } {
    const three = range.split("...");
    if (three.length === 2) {
        return { kind: "merge-base", from: three[0] || "HEAD", to: three[1] || "HEAD" };
    }
    const two = range.split("..");
    if (two.length === 2) {
        return { kind: "direct", from: two[0] || "HEAD", to: two[1] || "HEAD" };
    }
    return { kind: "direct", from: range, to: "HEAD" };
}

/** The revisions to compare, or why the range cannot be read. */
export function resolveGitRange(git: Git, range: string): GitRange | { error: string } {
    const parsed = parseGitRange(range);
    const rev = (name: string) => git(["rev-parse", "--verify", "--quiet", `${name}^{commit}`])?.trim();
    const to = rev(parsed.to);
    const from = rev(parsed.from);
    if (to === undefined || from === undefined) {
        return {
            error: `--changed ${range}: "${to === undefined ? parsed.to : parsed.from}" is not a revision of this repository (fetch it first, e.g. git fetch origin main)`,
        };
    }
    if (parsed.kind === "direct") {
        return { before: from, after: to };
    }
    const base = git(["merge-base", from, to])?.trim();
    return base === undefined
        ? { error: `--changed ${range}: ${parsed.from} and ${parsed.to} have no common history` }
        : { before: base, after: to };
}

/** The stacks a tenant file lists at a revision; undefined when absent, "unreadable" when not a tenant file. */
function tenantStacks(git: Git, rev: string, file: string): ReadonlyArray<string> | undefined | "unreadable" {
    const text = git(["show", `${rev}:${file}`]);
    if (text === undefined) {
        return undefined;
    }
    const parsed = parseTenantFile(file, text);
    return parsed.ok ? parsed.tenant.stacks : "unreadable";
}

/**
 * What the range changed, each file classified (lib/fleet/changedHosts.ts); a tenant file with
 * the stacks it listed on both sides. Renames are a delete and an add, so a tenant file that
 * moved is seen at both paths.
 */
export function gitChanges(git: Git, range: GitRange, tenantsDirs: ReadonlyArray<string>): ChangedFile[] {
    const names = git(["diff", "--name-only", "--no-renames", range.before, range.after]);
    if (names === undefined) {
        throw new Error(`git diff ${range.before} ${range.after} failed`);
    }
    return names
        .split("\n")
        .filter((f) => f !== "")
        .map((file): ChangedFile => {
            const kind = classifyPath(file, tenantsDirs);
            switch (kind) {
                case "stack settings":
                    return { kind, stack: /^Pulumi\.(.+)\.ya?ml$/.exec(file)![1] };
                case "tenant": {
                    const before = tenantStacks(git, range.before, file);
                    const after = tenantStacks(git, range.after, file);
                    return before === "unreadable" || after === "unreadable"
                        ? { kind: "unreadable tenant", path: file }
                        : { kind, path: file, before, after };
                }
                case "inert":
                case "program":
                    return { kind, path: file };
            }
        });
}
