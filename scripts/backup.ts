/**
 * `npm run backup -- -s <stack> [tenant...]`           back up now (every tenant, or the named ones)
 * `npm run restore -- -s <stack> <tenant> [snapshot]`   restore one tenant to its latest or a chosen backup
 * `npm run snapshots -- -s <stack> <tenant>`            list one tenant's backups
 *
 * Each runs the host's own backup tool (lib/host/backup.ts) over SSH, verifying the host against
 * the stack's `knownHostsLine` output and nothing else. The restore first backs up what it is
 * about to replace (tag pre-restore), stops only that tenant, and waits until it is healthy.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CommandContext, fail, projectRoot, requireStack, runMain } from "../lib/cli/command";
import { stackConnection } from "../lib/cli/stackConnection";
import { backupPaths } from "../lib/host/backup";
import { pinnedSshOptions } from "../lib/status/dockerConnection";
import { tenantNamePattern } from "../lib/tenants/tenantSchema";

const verbs = ["backup", "restore", "snapshots"] as const;
type Verb = (typeof verbs)[number];

const usage = `usage: npm run backup -- -s <stack> [tenant...]
       npm run restore -- -s <stack> <tenant> [snapshot-id]
       npm run snapshots -- -s <stack> <tenant>`;

function parseArgs(argv: string[], root: string): { verb: Verb; stack: string; rest: string[] } {
    const [verb, ...args] = argv;
    if (!verbs.includes(verb as Verb)) {
        fail(usage);
    }
    let stack: string | undefined;
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
        if (args[i] === "-s" || args[i] === "--stack") {
            stack = args[++i];
        } else {
            rest.push(args[i]);
        }
    }
    stack = requireStack(stack, root, usage);
    // The arguments reach a remote shell: only names and ids of a known shape get there.
    for (const tenant of verb === "restore" ? rest.slice(0, 1) : rest) {
        if (!tenantNamePattern.test(tenant)) {
            fail(`"${tenant}" is not a tenant name (lowercase letters, digits and '-')\n${usage}`);
        }
    }
    if (verb === "restore" && (rest.length < 1 || rest.length > 2)) {
        fail(`restore takes one tenant and, optionally, one snapshot id\n${usage}`);
    }
    if (verb === "restore" && rest[1] !== undefined && !/^[0-9a-f]{8,64}$/.test(rest[1])) {
        fail(`"${rest[1]}" is not a snapshot id (8 to 64 hex digits, from npm run snapshots)\n${usage}`);
    }
    if (verb === "snapshots" && rest.length !== 1) {
        fail(`snapshots takes one tenant\n${usage}`);
    }
    return { verb: verb as Verb, stack, rest };
}

/**
 * `npm run backup|restore|snapshots`, callable in-process: the host tool's exit status. The verb
 * is the first argument (package.json passes it).
 */
export function backupCommand(argv: string[], context: CommandContext): Promise<number> {
    const root = projectRoot(context.cwd);
    const { verb, stack, rest } = parseArgs(argv, root);
    const plan = stackConnection(stack, root);
    if (!plan.ok) {
        fail(plan.message);
    }
    if (plan.connection.kind !== "ssh") {
        fail(
            `stack "${stack}" runs on a local engine (${plan.connection.dockerHost}): backups run on Hetzner hosts, set up by backupTarget`,
        );
    }
    const url = new URL(plan.connection.dockerHost);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zc-backup-"));
    try {
        const knownHosts = path.join(dir, "known_hosts");
        fs.writeFileSync(knownHosts, plan.connection.knownHosts, { mode: 0o600 });
        const result = spawnSync(
            "ssh",
            [
                ...pinnedSshOptions(knownHosts),
                "-o",
                "BatchMode=yes",
                ...(url.port ? ["-p", url.port] : []),
                `${url.username || "root"}@${url.hostname}`,
                backupPaths.script,
                verb,
                ...rest,
            ],
            { stdio: "inherit" },
        );
        if (result.error !== undefined) {
            fail(`could not run ssh: ${result.error.message}`);
        }
        return Promise.resolve(result.status ?? 1);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

if (require.main === module) {
    runMain("backup", backupCommand);
}
