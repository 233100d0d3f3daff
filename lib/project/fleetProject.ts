import * as fs from "node:fs";
import * as path from "node:path";
import { InputProblem, describeProblem } from "../errors";
import { readTenantSources } from "../tenants/readTenantSources";
import { TenantSelection, selectTenants, stacksFromFileNames } from "../tenants/selectTenants";
import { HostStack, hostStackOf } from "./hostStack";
import { StackConfigResult } from "../config/stackConfig";
import { ParsedStackFile, parseStackFile, stackFileSettings } from "./stackFile";

/**
 * The project as the program and every operator command read it: its stacks, each one's
 * environment and tenants folder. Loaded by readFleetProject, the one reader of the project's
 * stack files.
 */
export interface FleetProject {
    /** The project folder (where Pulumi.yaml is). */
    root: string;
    /** Every stack: one Pulumi.<stack>.yaml (or .yml) each, sorted by name. */
    stacks: string[];
    /** Each stack whose file could be read: its environment and tenants folder. */
    hosts: HostStack[];
    /** Each stack's file as parsed, read once for every question asked of it. */
    files: ReadonlyMap<string, ParsedStackFile>;
    /** The stack files that could not be read, by file and key; each stack's own preview refuses them too. */
    problems: StackFileProblem[];
}

/** A stack file that could not be read: its stack, and the problem by file and key. */
export interface StackFileProblem extends InputProblem {
    stack: string;
}

/** A stack's file: Pulumi.<stack>.yaml, or Pulumi.<stack>.yml when only that exists (Pulumi reads either). */
function stackFilePath(root: string, stack: string): string {
    const yaml = path.join(root, `Pulumi.${stack}.yaml`);
    return fs.existsSync(yaml) ? yaml : path.join(root, `Pulumi.${stack}.yml`);
}

/** The project's stacks from the file names alone: what a command checks `-s <stack>` against. */
export function projectStacks(root: string): string[] {
    return stacksFromFileNames(fs.readdirSync(root));
}

/** Reads the project at `root`: every stack file once. */
export function readFleetProject(root: string): FleetProject {
    const stacks = projectStacks(root);
    const files = new Map(
        stacks.map((stack) => [
            stack,
            parseStackFile(stack, fs.readFileSync(stackFilePath(root, stack), "utf8")),
        ]),
    );
    const hosts: HostStack[] = [];
    const problems: StackFileProblem[] = [];
    for (const [stack, file] of files) {
        const host = file.ok
            ? hostStackOf(stack, file.values)
            : { ok: false as const, problems: [file.problem] };
        if (host.ok) {
            hosts.push(host.host);
        } else {
            problems.push(...host.problems.map((problem) => ({ ...problem, stack })));
        }
    }
    return { root, stacks, hosts, files, problems };
}

/** A stack's settings from its file, validated as its preview validates them. */
export function stackSettings(project: FleetProject, stack: string): StackConfigResult {
    const file = project.files.get(stack);
    return file === undefined
        ? { ok: false, problems: [{ where: `Pulumi.${stack}.yaml`, path: "", message: "does not exist" }] }
        : stackFileSettings(stack, file);
}

/**
 * The environments of the project's stacks: names a tenant file may list to wait for placement
 * (lib/tenants/selectTenants.ts). A stack file that cannot be read adds none.
 */
export function projectEnvironments(project: FleetProject): string[] {
    return [...new Set(project.hosts.map((h) => h.environment))].sort();
}

/**
 * The tenants folder these stacks read (each one's zeptoclaw-fleet:tenantsDir, `tenants` by
 * default), relative to the project: a command working on them finds and writes tenant files
 * there. Refused when they read different folders, or a stack file cannot be read.
 */
export function tenantsDirOf(
    project: FleetProject,
    stacks: ReadonlyArray<string>,
): { ok: true; dir: string } | { ok: false; message: string } {
    const unread = project.problems.filter((p) => stacks.includes(p.stack));
    if (unread.length > 0) {
        return { ok: false, message: unread.map(describeProblem).join("; ") };
    }
    const hosts = project.hosts.filter((h) => stacks.includes(h.stack));
    const dirs = [...new Set(hosts.map((h) => h.tenantsDir))];
    if (dirs.length > 1) {
        return {
            ok: false,
            message: `${hosts.map((h) => `${h.stack} reads ${h.tenantsDir}`).join(", ")}: one command works on one tenants folder`,
        };
    }
    return { ok: true, dir: dirs[0] ?? "tenants" };
}

/**
 * The tenants a stack runs, from its tenants folder, validated as its preview validates them
 * (every file of the folder). Refused when the folder cannot be found.
 */
export function stackTenants(
    project: FleetProject,
    stack: string,
): { ok: true; selection: TenantSelection } | { ok: false; message: string } {
    const dir = tenantsDirOf(project, [stack]);
    if (!dir.ok) {
        return dir;
    }
    const folder = path.join(project.root, dir.dir);
    if (!fs.existsSync(folder)) {
        return {
            ok: false,
            message: `there is no ${dir.dir}/ folder here (the tenants folder of stack "${stack}"); run this from the zeptoclaw-fleet project folder`,
        };
    }
    return {
        ok: true,
        selection: selectTenants(
            readTenantSources(folder, project.root),
            stack,
            project.stacks,
            projectEnvironments(project),
        ),
    };
}
