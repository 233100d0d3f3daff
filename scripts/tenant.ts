/**
 * `npm run tenant -- <command>`: the operator's tenant workflow, replacing the seed's
 * add-tenant.sh. Run from the project folder. Secrets are read hidden (or from standard input,
 * one per line, for scripts) and handed to `pulumi config set --secret` on its standard input:
 * never echoed, never on a command line, never written to disk unencrypted.
 *
 *   add <name> --stack <stack> [--stack <stack>...]   write tenants/<name>.yaml, set its secrets
 *   rotate <name> <secret> --stack <stack>            replace one secret
 *   remove <name> --stack <stack> [--purge]           take it out of a stack; --purge also deletes
 *                                                     its data volume, after confirmation
 *   list                                              tenants per stack with their limits
 *   import <seed tenants dir> --stack <stack>...      turn the seed's tenants/<name>/config.json
 *          [--compose-project zeptoclaw]              into tenant files adopting their compose
 *                                                     volumes; their secrets go to the stack config
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import { parseDocument, stringify } from "yaml";
import {
    CommandContext,
    fail,
    knownStacks,
    projectRoot,
    requireKnownStack,
    runMain,
} from "../lib/cli/command";
import { commonOptions, parseCommandLine } from "../lib/cli/commandLine";
import { runSync } from "../lib/cli/processRunner";
import { PulumiDriver, pulumiDriver } from "../lib/cli/pulumiDriver";
import { SecretReader } from "../lib/cli/readSecret";
import { stackEngine } from "../lib/cli/stackEngine";
import { tenantSecretsKey } from "../lib/config/tenantSecrets";
import { tenantNames } from "../lib/docker/tenantNames";
import { InputProblem, describeProblem } from "../lib/errors";
import { SeedTenantImport, importSeedTenant } from "../lib/migration/seedTenantImport";
import { newTenantSecrets, renderNewTenantFile } from "../lib/tenants/newTenantFile";
import { parseTenantFile } from "../lib/tenants/parseTenantFile";
import { readTenantSources } from "../lib/tenants/readTenantSources";
import { selectTenants } from "../lib/tenants/selectTenants";
import {
    FleetProject,
    projectEnvironments,
    readFleetProject,
    tenantsDirOf,
} from "../lib/project/fleetProject";
import { tenantNamePattern } from "../lib/tenants/tenantSchema";
import { upstreamDefaultModel } from "../lib/zeptoclaw/contract/agentsSchema";
import { collectSecretUses } from "../lib/tenants/secretRefs";

export const tenantUsage = `usage: npm run tenant -- add <name> --stack <stack> [--stack <stack>...]
       npm run tenant -- rotate <name> <secret> --stack <stack>
       npm run tenant -- remove <name> --stack <stack> [--purge]
       npm run tenant -- list [--stack <stack>...]
       npm run tenant -- import <seed tenants dir> --stack <stack> [--compose-project <name>]`;

/** The project the command works on, and where it reports. */
interface Folders {
    root: string;
    /** The project's stacks, as read once for the command. */
    fleet: FleetProject;
    tenantsDir: string;
    out: Writable;
}

/**
 * A project whose stacks the command changes, through the operator commands' Pulumi driver:
 * chosen when first needed, so that a refusal never waits for (or depends on) the CLI.
 */
interface Project extends Folders {
    pulumi: () => Promise<PulumiDriver>;
}

/** The secret reader, opened on standard input only when a secret is asked for. */
type Secrets = () => SecretReader;

function requireStacks(stacks: string[] | undefined, root: string): string[] {
    if (stacks === undefined || stacks.length === 0) {
        fail("name the stack with --stack <stack>");
    }
    const known = knownStacks(root);
    return stacks.map((s) => requireKnownStack(s, known));
}

/** The tenant's file, or undefined. */
function tenantFile({ tenantsDir }: Folders, name: string): string | undefined {
    return [".yaml", ".yml", ".json"]
        .map((ext) => path.join(tenantsDir, `${name}${ext}`))
        .find((f) => fs.existsSync(f));
}

async function pulumi(project: Project, args: string[], input?: string): Promise<void> {
    const result = (await project.pulumi()).runSync(args, { input, terminal: "all" });
    if (result.code !== 0) {
        fail(
            `pulumi ${args
                .filter((a) => a !== "--secret")
                .slice(0, 3)
                .join(" ")} ... failed`,
        );
    }
}

async function setSecret(
    project: Project,
    stack: string,
    tenant: string,
    secret: string,
    value: string,
): Promise<void> {
    if (value === "") {
        fail(`the value for ${secret} is empty`);
    }
    // The value goes on standard input: a command line is visible to every process on the machine.
    await pulumi(
        project,
        ["config", "set", "--secret", "--path", `${tenantSecretsKey}.${tenant}.${secret}`, "-s", stack],
        value,
    );
}

async function add(project: Project, name: string, stacks: string[], secrets: Secrets): Promise<void> {
    const { root, tenantsDir } = project;
    if (!tenantNamePattern.test(name)) {
        fail(
            `"${name}" is not a tenant name: 1 to 40 lowercase letters, digits and '-', not starting or ending with '-'`,
        );
    }
    const existing = readTenantSources(tenantsDir, root).filter((s) => {
        const parsed = parseTenantFile(s.file, s.text);
        return parsed.ok ? parsed.tenant.name === name : path.basename(s.file, path.extname(s.file)) === name;
    });
    if (tenantFile(project, name) !== undefined || existing.length > 0) {
        fail(
            `tenant "${name}" already exists (${existing.map((s) => s.file).join(", ") || path.relative(root, path.join(tenantsDir, name))})`,
        );
    }
    const values: Record<string, string> = {};
    for (const secret of newTenantSecrets) {
        values[secret.name] = await secrets().read(`${secret.prompt} for ${name}`);
        if (values[secret.name] === "") {
            fail(`the ${secret.prompt} is empty`);
        }
    }
    const file = path.join(tenantsDir, `${name}.yaml`);
    const text = renderNewTenantFile(name, stacks);
    const parsed = parseTenantFile(path.relative(root, file), text);
    if (!parsed.ok) {
        fail(parsed.problems.map(describeProblem).join("\n"));
    }
    // The CLI that sets the secrets, before the file is written.
    await project.pulumi();
    fs.writeFileSync(file, text);
    for (const stack of stacks) {
        for (const secret of newTenantSecrets) {
            await setSecret(project, stack, name, secret.name, values[secret.name]);
        }
    }
    project.out.write(
        `added ${path.relative(root, file)}; next: pulumi preview -s ${stacks[0]}, then pulumi up -s ${stacks[0]}\n`,
    );
}

async function rotate(
    project: Project,
    name: string,
    secret: string,
    stack: string,
    secrets: Secrets,
): Promise<void> {
    const { root } = project;
    const file = tenantFile(project, name) ?? fail(`no tenant "${name}" in tenants/`);
    const parsed = parseTenantFile(path.relative(root, file), fs.readFileSync(file, "utf8"));
    if (!parsed.ok) {
        fail(parsed.problems.map(describeProblem).join("\n"));
    }
    const names = [...new Set(collectSecretUses(parsed.tenant.zeptoclaw).map((u) => u.name))];
    if (!names.includes(secret)) {
        fail(`tenant "${name}" has no secret "${secret}"; its secrets: ${names.join(", ")}`);
    }
    await setSecret(project, stack, name, secret, await secrets().read(`New ${secret} for ${name}`));
    project.out.write(
        `rotated ${secret} of ${name} in ${stack}; pulumi up -s ${stack} restarts that tenant with it\n`,
    );
}

/** A stack's engine as the Docker CLI reaches it: its address, and the environment pinning its host key. */
interface Engine {
    dockerHost: string;
    env: NodeJS.ProcessEnv;
}

/**
 * How `remove --purge` reaches the stack's engine, decided before anything changes (and after
 * the confirmation: pulumi may prompt for a passphrase on the same standard input): from the
 * stack's outputs, over SSH with its pinned host key only, as npm run status does.
 */
async function engineOf(project: Project, stack: string, dir: string): Promise<Engine> {
    const engine = stackEngine(stack, project.root, await project.pulumi(), dir);
    if (!engine.ok) {
        fail(`${engine.message}; nothing was changed`);
    }
    return engine;
}

async function remove(
    project: Project,
    name: string,
    stack: string,
    purge: boolean,
    secrets: Secrets,
): Promise<void> {
    const { root } = project;
    const file = tenantFile(project, name) ?? fail(`no tenant "${name}" in tenants/`);
    const text = fs.readFileSync(file, "utf8");
    const document = parseDocument(text);
    const stacks = (document.toJS() as { stacks?: string[] }).stacks ?? [];
    if (!stacks.includes(stack)) {
        fail(`tenant "${name}" does not run in stack "${stack}" (its stacks: ${stacks.join(", ")})`);
    }
    let volume: string | undefined;
    if (purge) {
        // The volume the tenant file names (an adopted one) or its default.
        const parsed = parseTenantFile(path.relative(root, file), text);
        if (!parsed.ok) {
            fail(`${parsed.problems.map(describeProblem).join("\n")}\nnothing was changed`);
        }
        volume = tenantNames(name, "", parsed.tenant.volume).volume;
        const typed = await secrets().read(
            `This deletes all data of ${name} in ${stack} (its volume ${volume}). Type the tenant's name to confirm`,
        );
        if (typed !== name) {
            fail("not confirmed; nothing was changed");
        }
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zc-tenant-"));
    try {
        const purged =
            volume === undefined ? undefined : { volume, engine: await engineOf(project, stack, dir) };
        const rest = stacks.filter((s) => s !== stack);
        if (rest.length === 0) {
            fs.rmSync(file);
        } else {
            document.set("stacks", rest);
            fs.writeFileSync(file, document.toString());
        }
        await pulumi(project, ["config", "rm", "--path", `${tenantSecretsKey}.${name}`, "-s", stack]);
        if (purged === undefined) {
            project.out.write(
                `removed ${name} from ${stack}; its data volume stays. Apply with: pulumi up -s ${stack}\n`,
            );
            return;
        }
        // The container must be gone before its volume can be deleted.
        await pulumi(project, ["up", "--yes", "-s", stack]);
        const rm = runSync("docker", ["volume", "rm", purged.volume], {
            env: purged.engine.env,
            terminal: "all",
        });
        if (rm.code !== 0) {
            fail(`docker volume rm ${purged.volume} failed on ${purged.engine.dockerHost}`);
        }
        project.out.write(`removed ${name} from ${stack} and deleted its data volume ${purged.volume}\n`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * Imports every tenant of the seed's layout: all or nothing, so a refused tenant leaves no half
 * migration behind. Each tenant file is checked by the same validation as `pulumi preview`.
 */
async function importSeed(
    project: Project,
    seedDir: string,
    stacks: string[],
    composeProject: string,
): Promise<void> {
    const { root, tenantsDir } = project;
    // The seed folder as the operator named it (for messages), relative to the project folder.
    const at = (p: string) => path.resolve(root, p);
    const dirs = fs
        .readdirSync(at(seedDir), { withFileTypes: true })
        .filter((d) => d.isDirectory() && fs.existsSync(at(path.join(seedDir, d.name, "config.json"))))
        .map((d) => d.name)
        .sort();
    if (dirs.length === 0) {
        fail(`no <name>/config.json under ${seedDir}: point import at the seed's tenants/ folder`);
    }
    const problems: InputProblem[] = [];
    const plans: Array<{ file: string; text: string; imported: SeedTenantImport }> = [];
    for (const name of dirs) {
        const seedFile = path.join(seedDir, name, "config.json");
        if (!tenantNamePattern.test(name)) {
            problems.push({
                where: seedFile,
                path: "",
                message: `"${name}" is not a tenant name here (1 to 40 lowercase letters, digits and '-'); rename its folder and its compose volume`,
            });
            continue;
        }
        if (tenantFile(project, name) !== undefined) {
            problems.push({
                where: seedFile,
                path: "",
                message: `tenant "${name}" already exists in ${path.relative(project.root, project.tenantsDir)}/`,
            });
            continue;
        }
        let seedConfig: unknown;
        try {
            seedConfig = JSON.parse(fs.readFileSync(at(seedFile), "utf8"));
        } catch (err) {
            problems.push({
                where: seedFile,
                path: "",
                message: `is not valid JSON: ${(err as Error).message}`,
            });
            continue;
        }
        const result = importSeedTenant(name, seedFile, seedConfig, {
            stacks,
            composeProject,
            defaultModel: upstreamDefaultModel,
        });
        if (!result.ok) {
            problems.push(...result.problems);
            continue;
        }
        const file = path.join(tenantsDir, `${name}.yaml`);
        const text = `# Imported from ${seedFile}. Secrets are references; their values live in the stack config.\n${stringify(result.imported.file, { flowCollectionPadding: true })}`;
        const parsed = parseTenantFile(path.relative(root, file), text);
        if (!parsed.ok) {
            problems.push(...parsed.problems.map((p) => ({ ...p, where: `${seedFile} (as ${p.where})` })));
            continue;
        }
        plans.push({ file, text, imported: result.imported });
    }
    if (problems.length > 0) {
        fail(`nothing was imported:\n${problems.map((p) => `  - ${describeProblem(p)}`).join("\n")}`);
    }
    // The CLI that sets the secrets, before any file is written.
    await project.pulumi();
    for (const plan of plans) {
        fs.writeFileSync(plan.file, plan.text);
    }
    for (const { imported } of plans) {
        for (const stack of stacks) {
            for (const secret of imported.secrets) {
                await setSecret(project, stack, imported.name, secret.name, secret.value);
            }
        }
    }
    for (const { file, imported } of plans) {
        project.out.write(
            `imported ${imported.name} -> ${path.relative(root, file)} (volume ${imported.volume}; ` +
                `secrets: ${imported.secrets.map((s) => s.name).join(", ") || "none"})\n`,
        );
        for (const c of imported.changes) {
            project.out.write(`  changed ${c.path}: ${c.was} -> ${c.now}: ${c.why}\n`);
        }
    }
    project.out.write(
        `next: pulumi preview -s ${stacks[0]}; then stop the compose containers (never down -v) and pulumi up -s ${stacks[0]}\n`,
    );
}

function list(project: Folders): void {
    const { root, tenantsDir, fleet } = project;
    const sources = readTenantSources(tenantsDir, root);
    const rows = [["STACK", "TENANT", "MEMORY", "RESERVED", "CPUS", "CPU-WEIGHT", "PIDS", "DISK"]];
    const { stacks } = fleet;
    const environments = projectEnvironments(fleet);
    for (const stack of stacks) {
        const { tenants, problems } = selectTenants(sources, stack, stacks, environments);
        if (problems.length > 0) {
            fail(problems.map(describeProblem).join("\n"));
        }
        for (const t of tenants) {
            const r = t.resources;
            rows.push([
                stack,
                t.name,
                `${r.memoryMb}M`,
                `${r.memoryReservationMb}M`,
                String(r.cpus),
                String(r.cpuReservation),
                String(r.pids),
                `${r.diskMb}M`,
            ]);
        }
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
    for (const row of rows) {
        project.out.write(
            `${row
                .map((cell, i) => cell.padEnd(widths[i]))
                .join("  ")
                .trimEnd()}\n`,
        );
    }
}

/**
 * `npm run tenant`, callable in-process. A malformed or refused command line ends with 2.
 */
export async function tenantCommand(argv: string[], context: CommandContext): Promise<number> {
    const { positionals, values } = parseCommandLine(
        argv,
        {
            stack: { ...commonOptions.stack, multiple: true },
            purge: { type: "boolean", default: false },
            "compose-project": { type: "string", default: "zeptoclaw" },
        },
        tenantUsage,
    );
    const root = projectRoot(context.cwd);
    // The tenants folder of the stacks the command names (each stack's tenantsDir).
    const folders = (stacks: ReadonlyArray<string>): Folders => {
        const fleet = readFleetProject(root);
        const tenantsDir = tenantsDirOf(fleet, stacks);
        return {
            root,
            fleet,
            tenantsDir: path.join(root, tenantsDir.ok ? tenantsDir.dir : fail(tenantsDir.message)),
            out: context.stdout,
        };
    };
    let driver: Promise<PulumiDriver> | undefined;
    const project = (stacks: ReadonlyArray<string>): Project => ({
        ...folders(stacks),
        pulumi: () => (driver ??= pulumiDriver(root, (line) => context.stderr.write(`tenant: ${line}\n`))),
    });
    const [command, name, secret] = positionals;
    let reader: SecretReader | undefined;
    const secrets = () => (reader ??= new SecretReader());
    try {
        switch (command) {
            case "add": {
                const stacks = requireStacks(values.stack, root);
                await add(
                    project(stacks),
                    name ?? fail("usage: tenant add <name> --stack <stack>"),
                    stacks,
                    secrets,
                );
                return 0;
            }
            case "rotate": {
                const [stack] = requireStacks(values.stack, root);
                await rotate(
                    project([stack]),
                    name ?? fail("usage: tenant rotate <name> <secret> --stack <stack>"),
                    secret ?? fail("usage: tenant rotate <name> <secret> --stack <stack>"),
                    stack,
                    secrets,
                );
                return 0;
            }
            case "remove": {
                const [stack] = requireStacks(values.stack, root);
                await remove(
                    project([stack]),
                    name ?? fail("usage: tenant remove <name> --stack <stack> [--purge]"),
                    stack,
                    values.purge,
                    secrets,
                );
                return 0;
            }
            case "list":
                list(folders(values.stack ?? []));
                return 0;
            case "import": {
                const stacks = requireStacks(values.stack, root);
                await importSeed(
                    project(stacks),
                    name ?? fail("usage: tenant import <seed tenants dir> --stack <stack>"),
                    stacks,
                    values["compose-project"],
                );
                return 0;
            }
            default:
                return fail(tenantUsage);
        }
    } finally {
        reader?.close();
    }
}

if (require.main === module) {
    runMain("tenant", tenantCommand);
}
