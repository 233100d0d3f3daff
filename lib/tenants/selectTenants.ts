import * as path from "node:path";
import { InputProblem } from "../errors";
import { parseTenantFile } from "./parseTenantFile";
import { Tenant } from "./tenant";
import { TenantFile } from "./tenantSchema";
import { derivedTenantUid } from "./tenantUid";

/** A tenant file's name and the stacks it lists: where it asks to run. */
export interface TenantPlacement {
    file: string;
    stacks: ReadonlyArray<string>;
}

export interface TenantSource {
    /** Path shown to the operator, e.g. `tenants/shop-ahmad.yaml`. */
    file: string;
    text: string;
}

/** A tenant file left to the stacks it names (lib/tenants/tenantFilesOfStack.ts), by its file name alone. */
export interface TenantElsewhere {
    file: string;
    /** The file's name without its extension: the tenant's name once its own host has checked it. */
    name: string;
}

export interface TenantSelection {
    /** The tenants that run in `stack`, sorted by name. */
    tenants: Tenant[];
    /** Every valid tenant file's stacks, whatever the stack: for the fleet's placement checks. */
    placements: TenantPlacement[];
    problems: InputProblem[];
}

/**
 * Validates the tenant files of `sources` (every file, whatever its stacks, so that a mistake in
 * a prod-only tenant is caught by the dev preview too) and returns the tenants of one stack.
 * A `stacks` entry may also name one of `environments` that is not a stack: the tenant waits
 * there to be placed on one of its hosts (`npm run fleet -- place`, lib/fleet/placeTenants.ts).
 * `elsewhere` are the files left to other stacks (lib/tenants/tenantFilesOfStack.ts): not
 * parsed, their tenants' names and derived uids are still taken.
 */
export function selectTenants(
    sources: ReadonlyArray<TenantSource>,
    stack: string,
    knownStacks: ReadonlyArray<string>,
    environments: ReadonlyArray<string> = [],
    elsewhere: ReadonlyArray<TenantElsewhere> = [],
): TenantSelection {
    const { byStack, placements, problems } = selectTenantsOfStacks(
        sources,
        [stack],
        knownStacks,
        environments,
        elsewhere,
    );
    return { tenants: byStack.get(stack)!, placements, problems };
}

/** selectTenants for several stacks from one reading of the files: the tenants of each, by stack. */
export function selectTenantsOfStacks(
    sources: ReadonlyArray<TenantSource>,
    stacks: ReadonlyArray<string>,
    knownStacks: ReadonlyArray<string>,
    environments: ReadonlyArray<string> = [],
    elsewhere: ReadonlyArray<TenantElsewhere> = [],
): { byStack: Map<string, Tenant[]>; placements: TenantPlacement[]; problems: InputProblem[] } {
    const problems: InputProblem[] = [];
    const parsed: { file: string; tenant: TenantFile }[] = [];
    for (const source of sources) {
        const result = parseTenantFile(source.file, source.text);
        if (result.ok) {
            parsed.push({ file: source.file, tenant: result.tenant });
        } else {
            problems.push(...result.problems);
        }
    }

    const byName = new Map(elsewhere.map((e) => [e.name, e.file]));
    const byUid = new Map(elsewhere.map((e) => [derivedTenantUid(e.name), e]));
    const known = new Set([...knownStacks, ...environments]);
    const byStack = new Map(stacks.map((s) => [s, [] as Tenant[]]));
    for (const { file, tenant } of parsed) {
        const other = byName.get(tenant.name);
        if (other !== undefined) {
            problems.push({
                where: file,
                path: "name",
                message: `"${tenant.name}" is already the name of ${other}; tenant names must be unique`,
            });
            continue;
        }
        byName.set(tenant.name, file);

        const seenStacks = new Set<string>();
        tenant.stacks.forEach((s, i) => {
            if (!known.has(s)) {
                problems.push({
                    where: file,
                    path: `stacks[${i}]`,
                    message: unknownStackMessage(s, knownStacks),
                });
            } else if (seenStacks.has(s)) {
                problems.push({ where: file, path: `stacks[${i}]`, message: `stack "${s}" is listed twice` });
            }
            seenStacks.add(s);
        });

        const uid = tenant.uid ?? derivedTenantUid(tenant.name);
        const clash = byUid.get(uid);
        if (clash !== undefined) {
            problems.push({
                where: file,
                path: "uid",
                message:
                    `uid ${uid} is also the uid of tenant "${clash.name}" (${clash.file}); ` +
                    `set a distinct "uid:" in this file (any unused number from 10000000 to 2000000000)`,
            });
            continue;
        }
        byUid.set(uid, { file, name: tenant.name });

        const selected: Tenant = {
            name: tenant.name,
            file,
            uid,
            zeptoclaw: tenant.zeptoclaw,
            resources: tenant.resources,
            labels: tenant.labels,
            volume: tenant.volume,
            ring: tenant.ring,
        };
        for (const stack of new Set(tenant.stacks)) {
            byStack.get(stack)?.push(selected);
        }
    }
    for (const tenants of byStack.values()) {
        tenants.sort((a, b) => a.name.localeCompare(b.name));
    }
    const placements = parsed.map(({ file, tenant }) => ({ file, stacks: tenant.stacks }));
    return { byStack, placements, problems };
}

/** Why a stack name is refused, with the stacks that do exist. */
export function unknownStackMessage(stack: string, knownStacks: ReadonlyArray<string>): string {
    return `stack "${stack}" does not exist (no Pulumi.${stack}.yaml); known stacks: ${[...knownStacks].sort().join(", ")}`;
}

/** Stack names from the Pulumi.<stack>.yaml files beside Pulumi.yaml. */
export function stacksFromFileNames(fileNames: ReadonlyArray<string>): string[] {
    return fileNames
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(f))?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}
