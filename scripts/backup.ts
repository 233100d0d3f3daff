/**
 * `npm run backup -- -s <stack> [tenant...]`           back up now (every tenant, or the named ones)
 * `npm run restore -- -s <stack> <tenant> [--from-host <host>] [snapshot]`
 *                                                       restore one tenant to its latest or a chosen backup
 * `npm run snapshots -- -s <stack> <tenant> [--from-host <host>]`   list one tenant's backups
 * `--from-host` takes another host's snapshots in the same repository: a dead host's tenants.
 *
 * Each runs the host's own backup tool (lib/host/backup.ts) over SSH, verifying the host against
 * the stack's `knownHostsLine` output and nothing else. The restore first backs up what it is
 * about to replace (tag pre-restore), stops only that tenant, and waits until it is healthy.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { backupUsage, parseBackupArgs } from "../lib/cli/backupArgs";
import { CommandContext, fail, projectRoot, requireStack, runMain } from "../lib/cli/command";
import { runSync } from "../lib/cli/processRunner";
import { pulumiDriver } from "../lib/cli/pulumiDriver";
import { stackConnection } from "../lib/cli/stackConnection";
import { backupPaths } from "../lib/host/backup";
import { pinnedSshOptions } from "../lib/status/dockerConnection";

/**
 * `npm run backup|restore|snapshots`, callable in-process: the host tool's exit status. The verb
 * is the first argument (package.json passes it).
 */
export async function backupCommand(argv: string[], context: CommandContext): Promise<number> {
    const root = projectRoot(context.cwd);
    const parsed = parseBackupArgs(argv);
    if (!parsed.ok) {
        fail(parsed.message);
    }
    const { verb, remote } = parsed.args;
    const stack = requireStack(parsed.args.stack, root, backupUsage);
    const pulumi = await pulumiDriver(root, (line) => context.stderr.write(`backup: ${line}\n`));
    const plan = stackConnection(stack, root, pulumi);
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
        const result = runSync(
            "ssh",
            [
                ...pinnedSshOptions(knownHosts),
                "-o",
                "BatchMode=yes",
                ...(url.port ? ["-p", url.port] : []),
                `${url.username || "root"}@${url.hostname}`,
                backupPaths.script,
                verb,
                ...remote,
            ],
            { terminal: "all" },
        );
        return result.code ?? 1;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

if (require.main === module) {
    runMain("backup", backupCommand);
}
