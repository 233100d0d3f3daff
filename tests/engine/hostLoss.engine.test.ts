import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { renderBackupScript } from "../../lib/host/backup";
import { derivedTenantUid } from "../../lib/tenants/tenantUid";
import { runProgram } from "../support/runProgram";
import { runnableSecretsFor, runnableSettings, tenantYaml } from "../support/tenantFiles";
import { EngineAdapter, removeLabelled, waitHealthy } from "./support/engineAdapter";
import { dataDir, dataManifest } from "./support/dataManifest";
import { execIn } from "./support/engineHelpers";
import { sftpBackupEnv, startSftpRepository } from "./support/sftpRepository";

jest.setTimeout(15 * 60_000);

// Two hosts, one after the other on the one engine: host a runs the tenant and dies, host b
// takes it over from a's snapshots in the repository they share.
const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const runId = `hostloss-${process.pid}`;
const hostA = new EngineAdapter(docker, `${runId}-a`);
const hostB = new EngineAdapter(docker, `${runId}-b`);
const work = fs.mkdtempSync(path.join(os.tmpdir(), "zc-hostloss-"));
const script = path.join(work, "zeptoclaw-fleet-backup");

/** Runs the rendered script as host `host` would, with that host's settings file. */
function backupTool(
    host: string,
    ...args: string[]
): { status: number | null; output: string; seconds: number } {
    const started = process.hrtime.bigint();
    const result = spawnSync("bash", [script, ...args], {
        env: { ...process.env, ZEPTOCLAW_BACKUP_ENV: path.join(work, `${host}.env`) },
        encoding: "utf8",
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { status: result.status, output: `${result.stdout}${result.stderr}`, seconds };
}

function succeeded(run: ReturnType<typeof backupTool>): ReturnType<typeof backupTool> {
    if (run.status !== 0) {
        throw new Error(`backup tool exited ${run.status}:\n${run.output}`);
    }
    return run;
}

function totalBytes(files: Record<string, string>, root: string): number {
    return Object.keys(files)
        .filter((rel) => !rel.endsWith("/"))
        .reduce((sum, rel) => sum + fs.lstatSync(path.join(root, rel)).size, 0);
}

function hostRun(hostName: string, tenants: string[]) {
    return runProgram({
        tenantFiles: Object.fromEntries(
            tenants.map((t) => [
                `${t}.yaml`,
                tenantYaml(t, { stacks: ["dev"], zeptoclaw: runnableSettings() }),
            ]),
        ),
        tenantSecrets: runnableSecretsFor(tenants),
        config: {
            hostName,
            configRoot: path.join(work, `configs-${hostName}`),
            imageSource: "build",
            imageContext: "tests/fixtures/zeptoclaw-standin",
        },
    });
}

beforeAll(async () => {
    // Also what an aborted earlier run left (the engine suites run one at a time).
    await removeLabelled(docker);
    fs.writeFileSync(script, renderBackupScript(), { mode: 0o755 });
    const repository = await startSftpRepository(docker, runId, work);
    // Every host of the environment: the same repository and password, each its own host name.
    for (const host of ["a", "b"]) {
        fs.writeFileSync(
            path.join(work, `${host}.env`),
            sftpBackupEnv(repository, host, path.join(work, `staging-${host}`)),
            {
                mode: 0o600,
            },
        );
    }
});

afterAll(async () => {
    await hostA.removeEverything();
    await hostB.removeEverything();
    await removeLabelled(docker, runId);
    fs.rmSync(work, { recursive: true, force: true });
});

test("host a dies; host b restores a's tenant from a's snapshots, byte-identical and healthy; what a never backed up is refused", async () => {
    await hostA.apply(await hostRun("a", ["hl-a"]));
    const uid = derivedTenantUid("hl-a");
    // Nested folders, files of several sizes and modes, as the tenant writes them.
    const write = await execIn(
        docker,
        "zc-hl-a",
        [
            "sh",
            "-c",
            "set -e; for d in 1 2 3 4; do for s in a b c; do mkdir -p /data/memory/$d/$s; " +
                "for f in 1 2 3 4; do head -c $((d * 500000 + f * 7001)) /dev/urandom > /data/memory/$d/$s/part$f.bin; done; done; done; " +
                "echo 'a note' > /data/memory/notes.txt; chmod 0600 /data/memory/notes.txt; " +
                "chmod 0770 /data/memory/2; chmod 0660 /data/memory/3/b/part1.bin; ln -s memory/notes.txt /data/latest",
        ],
        `${uid}:${uid}`,
    );
    expect(write).toEqual({ code: 0, output: "" });
    const dataA = await dataDir(docker, "hl-a");
    const before = dataManifest(dataA);
    expect(before["memory/notes.txt"]).toMatch(new RegExp(`^${uid}:${uid} 600 `));
    expect(before["memory/2/"]).toBe(`${uid}:${uid} 770`);
    const bytes = totalBytes(before, dataA);
    const files = Object.keys(before).filter((rel) => !rel.endsWith("/")).length;
    expect(succeeded(backupTool("a", "backup", "hl-a")).output).toMatch(/hl-a: snapshot [0-9a-f]{8}/);

    // Host a is gone, and its data Volume with it.
    await hostA.removeEverything();
    await expect(docker.getContainer("zc-hl-a").inspect()).rejects.toThrow(/no such container/i);
    await expect(docker.getVolume("hl-a-data").inspect()).rejects.toThrow(/no such volume/i);

    // Before b's stack declares the tenant there is nothing to restore into: refused, saying the order.
    const early = backupTool("b", "restore", "hl-a", "--from-host", "a");
    expect(early.status).toBe(1);
    expect(early.output).toMatch(
        /hl-a is not on this host yet: add this host's stack to its tenant file's stacks/,
    );

    // b takes the tenant (and has one of its own, which a never backed up).
    await hostB.apply(await hostRun("b", ["hl-a", "hl-c"]));
    const cStarted = (await docker.getContainer("zc-hl-c").inspect()).State.StartedAt;

    // b's own snapshots of hl-a: none; the refusal changes nothing.
    const own = backupTool("b", "restore", "hl-a");
    expect(own.status).toBe(1);
    expect(own.output).toMatch(
        /no snapshot 'latest' of tenant hl-a from host b in sftp:root@.*; nothing was changed/,
    );
    const never = backupTool("b", "restore", "hl-c", "--from-host", "a");
    expect(never.status).toBe(1);
    expect(never.output).toMatch(/no snapshot 'latest' of tenant hl-c from host a in sftp:root@/);
    expect((await docker.getContainer("zc-hl-c").inspect()).State.StartedAt).toBe(cStarted);

    const listed = succeeded(backupTool("b", "snapshots", "hl-a", "--from-host", "a")).output;
    expect(listed).toMatch(/^[0-9a-f]{8} .* a +tenant=hl-a/m);

    const restore = succeeded(backupTool("b", "restore", "hl-a", "--from-host", "a"));
    expect(restore.output).toMatch(/hl-a: restored snapshot [0-9a-f]{8} of host a and started again/);
    expect(dataManifest(await dataDir(docker, "hl-a"))).toEqual(before);
    await waitHealthy(docker.getContainer("zc-hl-a"), 120_000);
    expect((await docker.getContainer("zc-hl-a").inspect()).Config.Labels?.["com.zeptoclaw.host"]).toBe("b");
    // b backs up its new tenant under its own name from now on.
    expect(succeeded(backupTool("b", "backup", "hl-a")).output).toMatch(/hl-a: snapshot [0-9a-f]{8}/);
    expect(succeeded(backupTool("b", "snapshots", "hl-a")).output).toMatch(
        /^[0-9a-f]{8} .* b +tenant=hl-a\s/m,
    );

    const downFor = /: healthy, (\d+) ms after it stopped/.exec(restore.output)?.[1];
    console.log(
        [
            `tenant data: ${(bytes / 1e6).toFixed(1)} MB in ${files} files`,
            `restore on host b from host a's snapshot (incl. pre-restore backup of b's empty tenant, stop, start, healthy): ${restore.seconds.toFixed(1)} s, of which hl-a was down (stop to healthy) ${downFor} ms`,
        ].join("\n"),
    );
});
