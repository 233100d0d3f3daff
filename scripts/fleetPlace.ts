/**
 * `npm run fleet -- place -e <environment>`: each tenant whose file lists the environment and
 * none of its hosts goes to the host with the most free memory where it fits (memory, disk
 * limits against the data Volume, as preview counts them); its file's entry is rewritten from
 * the environment to that host. Placed tenants never move. When one fits nowhere, no file is
 * written and the command says which host to add (lib/fleet/placeTenants.ts).
 *
 * Host sizes come from the Pulumi.<stack>.yaml files (no Pulumi CLI): hostMemoryMb for a local
 * engine, the server type's memory from Hetzner Cloud's API for a server.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CommandContext, errorMessage, exitFailure, fail } from "../lib/cli/command";
import { ServerTypeInfo } from "../lib/capacity/capacity";
import { StackConfig } from "../lib/config/stackConfig";
import { configLocation } from "../lib/config/configLocation";
import { healthcheckIntervalSeconds } from "../lib/docker/tenantContainers";
import { describeProblem } from "../lib/errors";
import { environmentStacks } from "../lib/fleet/fleetEnvironments";
import { hetznerServerTypes } from "../lib/fleet/hetznerServerTypes";
import { PlacementHost, UnplacedTenant, placeTenants } from "../lib/fleet/placeTenants";
import {
    FleetProject,
    projectEnvironments,
    readFleetProject,
    stackSettings,
} from "../lib/project/fleetProject";
import { withStacksEntry } from "../lib/fleet/tenantFileStacks";
import { readTenantSources } from "../lib/tenants/readTenantSources";
import { selectTenantsOfStacks } from "../lib/tenants/selectTenants";

/** What `place` asks of the outside world; tests pass their own. */
export interface PlaceDependencies {
    /** Hetzner Cloud's server types, asked only when the environment has a Hetzner host. */
    serverTypes: () => Promise<ServerTypeInfo[]>;
}

export const defaultPlaceDependencies: PlaceDependencies = {
    serverTypes: () => {
        const token = process.env.HCLOUD_TOKEN;
        if (token === undefined || token === "") {
            fail(
                "the environment has Hetzner hosts, whose memory Hetzner Cloud's API gives: export HCLOUD_TOKEN=<an API token of the project> (read-only is enough) and run place again",
            );
        }
        return hetznerServerTypes(token);
    },
};

/** Each host's settings, from its stack file, refused as preview would refuse them. */
function hostSettings(project: FleetProject, stacks: ReadonlyArray<string>): Map<string, StackConfig> {
    const settings = new Map<string, StackConfig>();
    const problems: string[] = [];
    for (const stack of stacks) {
        const parsed = stackSettings(project, stack);
        if (parsed.ok) {
            settings.set(stack, parsed.config);
        } else {
            problems.push(...parsed.problems.map(describeProblem));
        }
    }
    if (problems.length > 0) {
        fail(problems.join("\n"));
    }
    return settings;
}

function sized(
    stack: string,
    settings: StackConfig,
    tenants: PlacementHost["tenants"],
    types: ReadonlyArray<ServerTypeInfo> | undefined,
): PlacementHost {
    const common = {
        stack,
        tenantsDir: settings.tenantsDir,
        reservedMb: settings.hostReservedMemoryMb,
        tenantSubnet: settings.tenantSubnet,
        tenants,
    };
    if (settings.hostKind === "local") {
        return {
            ...common,
            memoryMb: settings.hostMemoryMb,
            sizeKey: configLocation(stack, "hostMemoryMb"),
            label: `host ${stack} (${settings.hostMemoryMb} MB)`,
        };
    }
    const current = types?.find((t) => t.name === settings.serverType);
    if (current === undefined) {
        fail(`${configLocation(stack, "serverType")}: "${settings.serverType}" is not a Hetzner server type`);
    }
    return {
        ...common,
        memoryMb: current.memoryMb,
        sizeKey: configLocation(stack, "serverType"),
        label: `server type ${current.name} (${current.memoryMb} MB)`,
        current,
        location: settings.serverLocation,
        dataVolumeGb: settings.dataVolumeGb,
    };
}

/** An environment as place and drain read it: its host stacks, their settings and tenants. */
export interface EnvironmentRead {
    environment: string;
    known: string[];
    stacks: string[];
    settings: Map<string, StackConfig>;
    /** Each tenants folder read and validated once, for the environment and all of its hosts. */
    selectionOf: Map<string, ReturnType<typeof selectTenantsOfStacks>>;
}

export function readEnvironment(project: FleetProject, environment: string): EnvironmentRead {
    const { root, stacks: known, hosts } = project;
    if (project.problems.length > 0) {
        fail(project.problems.map(describeProblem).join("\n"));
    }
    let stacks: string[];
    try {
        stacks = environmentStacks(hosts, environment);
    } catch (err) {
        fail(errorMessage(err));
    }
    const settings = hostSettings(project, stacks);
    const environments = projectEnvironments(project);
    const selectionOf = new Map<string, ReturnType<typeof selectTenantsOfStacks>>();
    for (const dir of new Set([...settings.values()].map((s) => s.tenantsDir))) {
        const sources = readTenantSources(path.resolve(root, dir), root);
        const selection = selectTenantsOfStacks(sources, [environment, ...stacks], known, environments);
        if (selection.problems.length > 0) {
            fail(`fix the tenant files first:\n${selection.problems.map(describeProblem).join("\n")}`);
        }
        selectionOf.set(dir, selection);
    }
    return { environment, known, stacks, settings, selectionOf };
}

/** The environment's hosts, sized (Hetzner's server types asked only where there is a Hetzner host), with their tenants. */
export async function sizedHosts(
    read: EnvironmentRead,
    dependencies: PlaceDependencies,
): Promise<{ hosts: PlacementHost[]; types?: ServerTypeInfo[] }> {
    const types = [...read.settings.values()].some((s) => s.hostKind === "hetzner")
        ? await dependencies.serverTypes()
        : undefined;
    const hosts = read.stacks.map((stack) => {
        const s = read.settings.get(stack)!;
        return sized(stack, s, read.selectionOf.get(s.tenantsDir)!.byStack.get(stack)!, types);
    });
    return { hosts, types };
}

/** Places the environment's unplaced tenants and rewrites their files; 0 when all were placed. */
export async function placeCommand(
    environment: string,
    root: string,
    context: CommandContext,
    dependencies: PlaceDependencies,
): Promise<number> {
    const read = readEnvironment(readFleetProject(root), environment);
    const { known, stacks, selectionOf } = read;
    const unplaced: UnplacedTenant[] = [];
    if (!known.includes(environment)) {
        for (const [dir, selection] of selectionOf) {
            const stacksOf = new Map(selection.placements.map((p) => [p.file, p.stacks]));
            for (const tenant of selection.byStack.get(environment)!) {
                const listed = stacksOf.get(tenant.file)!;
                if (!listed.some((s) => stacks.includes(s))) {
                    unplaced.push({ tenant, tenantsDir: dir, index: listed.indexOf(environment) });
                }
            }
        }
    }
    if (unplaced.length === 0) {
        context.stdout.write(`every tenant of ${environment} is on one of its hosts\n`);
        return 0;
    }
    const { hosts: placementHosts, types } = await sizedHosts(read, dependencies);

    const result = placeTenants({
        environment,
        hosts: placementHosts,
        unplaced,
        probeIntervalSeconds: healthcheckIntervalSeconds,
        serverTypes: types,
    });
    if (!result.ok) {
        fail(result.message, exitFailure);
    }
    // Every file is rewritten in memory first: a refusal above leaves them all as they were.
    const written = result.placements.map((p) => {
        const file = path.join(root, p.tenant.file);
        const text = withStacksEntry(fs.readFileSync(file, "utf8"), p.index, environment, p.stack);
        if (text === undefined) {
            fail(
                `${p.tenant.file}: stacks[${p.index}] is no longer "${environment}"; run place again`,
                exitFailure,
            );
        }
        return { file, text };
    });
    for (const { file, text } of written) {
        fs.writeFileSync(file, text);
    }
    for (const p of result.placements) {
        const disk = p.freeDiskMb === undefined ? "" : `, ${(p.freeDiskMb / 1024).toFixed(1)} GB disk`;
        context.stdout.write(`${p.tenant.name} → ${p.stack} (free after: ${p.freeMb} MB${disk})\n`);
    }
    context.stdout.write(
        `commit the tenant files, then npm run fleet -- preview -e ${environment} and npm run fleet -- up -e ${environment}\n`,
    );
    return 0;
}
