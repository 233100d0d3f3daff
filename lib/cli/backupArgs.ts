import { commonOptions, readCommandLine } from "./commandLine";
import { tenantNamePattern } from "../tenants/tenantSchema";

export const backupVerbs = ["backup", "restore", "snapshots"] as const;
export type BackupVerb = (typeof backupVerbs)[number];

export const backupUsage = `usage: npm run backup -- -s <stack> [tenant...]
       npm run restore -- -s <stack> <tenant> [--from-host <host>] [snapshot-id]
       npm run snapshots -- -s <stack> <tenant> [--from-host <host>]
--from-host: restore or list the snapshots another (dead) host made in the same repository`;

/** `npm run backup|restore|snapshots` as parsed: the stack, and what the host's tool receives. */
export interface BackupArgs {
    verb: BackupVerb;
    /** Undefined when -s is missing; the caller names the known stacks. */
    stack: string | undefined;
    /** The host tool's arguments after the verb, in its own order. */
    remote: string[];
}

/** Host names follow the stack config's hostName rule (lib/config/stackConfig.ts). */
const hostNamePattern = tenantNamePattern;
const snapshotIdPattern = /^[0-9a-f]{8,64}$/;

/**
 * Parses the command line (the verb first, as package.json passes it). The arguments reach a
 * remote shell over SSH, so only names and ids of a known shape get through.
 */
export function parseBackupArgs(
    argv: string[],
): { ok: true; args: BackupArgs } | { ok: false; message: string } {
    const refuse = (message: string) => ({ ok: false as const, message: `${message}\n${backupUsage}` });
    const [first, ...args] = argv;
    const verb = backupVerbs.find((v) => v === first);
    if (verb === undefined) {
        return { ok: false, message: backupUsage };
    }
    const read = readCommandLine(
        args,
        { stack: commonOptions.stack, "from-host": { type: "string" } },
        backupUsage,
    );
    if (!read.ok) {
        return read;
    }
    const { stack } = read.line.values;
    const fromHost = read.line.values["from-host"];
    const positional = read.line.positionals;
    if (fromHost !== undefined && verb === "backup") {
        return refuse("--from-host is for restore and snapshots: a host backs up only its own tenants");
    }
    if (fromHost !== undefined && !hostNamePattern.test(fromHost)) {
        return refuse(`--from-host takes a host name (the dead host's hostName), not "${fromHost}"`);
    }
    const tenants = verb === "backup" ? positional : positional.slice(0, 1);
    const badTenant = tenants.find((t) => !tenantNamePattern.test(t));
    if (badTenant !== undefined) {
        return refuse(`"${badTenant}" is not a tenant name (lowercase letters, digits and '-')`);
    }
    if (verb === "restore" && (positional.length < 1 || positional.length > 2)) {
        return refuse("restore takes one tenant and, optionally, one snapshot id");
    }
    if (verb === "restore" && positional[1] !== undefined && !snapshotIdPattern.test(positional[1])) {
        return refuse(`"${positional[1]}" is not a snapshot id (8 to 64 hex digits, from npm run snapshots)`);
    }
    if (verb === "snapshots" && positional.length !== 1) {
        return refuse("snapshots takes one tenant");
    }
    const from = fromHost === undefined ? [] : ["--from-host", fromHost];
    return {
        ok: true,
        args: { verb, stack, remote: [...positional.slice(0, 1), ...from, ...positional.slice(1)] },
    };
}
