import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import Docker from "dockerode";
import { backupRecordFile } from "../../../lib/host/backup";

/** Where a tenant's data volume lies on this machine, to read it without the tenant's help. */
export async function dataDir(docker: Docker, tenant: string): Promise<string> {
    return (await docker.getVolume(`${tenant}-data`).inspect()).Mountpoint;
}

/**
 * Every file and folder under a tenant's data, the top included: owner, mode, and the SHA-256 of
 * a file or the target of a link. Two equal manifests are the same data, as a restore or a move
 * must leave it.
 */
export function dataManifest(root: string): Record<string, string> {
    const out: Record<string, string> = {};
    const ownerAndMode = (stat: fs.Stats) => `${stat.uid}:${stat.gid} ${(stat.mode & 0o7777).toString(8)}`;
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            const rel = path.relative(root, full);
            // The stand-in counts its own starts there: it changes at every start, restores included.
            if (rel === backupRecordFile || rel === ".zeptoclaw/state/boots") {
                continue;
            }
            const owner = ownerAndMode(fs.lstatSync(full));
            if (entry.isDirectory()) {
                out[`${rel}/`] = owner;
                walk(full);
            } else {
                out[rel] = entry.isFile()
                    ? `${owner} ${createHash("sha256").update(fs.readFileSync(full)).digest("hex")}`
                    : `${owner} ${entry.isSymbolicLink() ? fs.readlinkSync(full) : "special"}`;
            }
        }
    };
    out["./"] = ownerAndMode(fs.statSync(root));
    walk(root);
    return out;
}
