import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { backupRecordFile, renderBackupScript } from "../../lib/host/backup";
import { derivedTenantUid } from "../../lib/tenants/tenantUid";
import { runProgram } from "../support/runProgram";
import { runnableSecretsFor, runnableSettings, tenantYaml } from "../support/tenantFiles";
import { EngineAdapter, removeLabelled, waitHealthy } from "./support/engineAdapter";
import { dataDir, dataManifest } from "./support/dataManifest";
import { engineEvents, execIn } from "./support/engineHelpers";
import { sftpBackupEnv, startSftpRepository } from "./support/sftpRepository";

jest.setTimeout(15 * 60_000);

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const runId = `backup-${process.pid}`;
const adapter = new EngineAdapter(docker, runId);
const work = fs.mkdtempSync(path.join(os.tmpdir(), "zc-backup-"));
const script = path.join(work, "zeptoclaw-fleet-backup");
const envFile = path.join(work, "backup.env");

/** Runs the rendered script as the systemd unit would, with the suite's settings file. */
function backupTool(...args: string[]): { output: string; seconds: number } {
    const started = process.hrtime.bigint();
    const result = spawnSync("bash", [script, ...args], {
        env: { ...process.env, ZEPTOCLAW_BACKUP_ENV: envFile },
        encoding: "utf8",
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.status !== 0) {
        throw new Error(
            `backup ${args.join(" ")} exited ${result.status}:\n${result.stdout}${result.stderr}`,
        );
    }
    return { output: `${result.stdout}${result.stderr}`, seconds };
}

/** The pause and unpause events of a container since a time (seconds), oldest first. */
async function pauseEvents(container: string, since: number): Promise<string[]> {
    const events = await engineEvents(docker, { container: [container], event: ["pause", "unpause"] }, since);
    return events.map((e) => e.Action);
}

let sftpName = "";

beforeAll(async () => {
    // Also what an aborted earlier run left (the engine suites run one at a time).
    await removeLabelled(docker);
    fs.writeFileSync(script, renderBackupScript(), { mode: 0o755 });

    const repository = await startSftpRepository(docker, runId, work);
    sftpName = repository.container;
    fs.writeFileSync(envFile, sftpBackupEnv(repository, "test-host", path.join(work, "staging")), {
        mode: 0o600,
    });
});

afterAll(async () => {
    await adapter.removeEverything();
    await removeLabelled(docker, runId);
    fs.rmSync(work, { recursive: true, force: true });
});

test("a tenant's 100 MB are backed up to SFTP, destroyed, restored byte-identical, healthy; the neighbour untouched", async () => {
    const run = await runProgram({
        tenantFiles: {
            "bk-a.yaml": tenantYaml("bk-a", {
                stacks: ["dev"],
                zeptoclaw: runnableSettings(),
            }),
            "bk-b.yaml": tenantYaml("bk-b", {
                stacks: ["dev"],
                zeptoclaw: runnableSettings(),
            }),
        },
        tenantSecrets: runnableSecretsFor(["bk-a", "bk-b"]),
        config: {
            configRoot: path.join(work, "configs"),
            imageSource: "build",
            imageContext: "tests/fixtures/zeptoclaw-standin",
        },
    });
    await adapter.apply(run);
    const uidA = derivedTenantUid("bk-a");
    const write = await execIn(
        docker,
        "zc-bk-a",
        [
            "sh",
            "-c",
            "mkdir -p /data/memory && head -c 100000000 /dev/urandom > /data/memory/history.bin && " +
                "echo 'first note' > /data/memory/notes.txt",
        ],
        `${uidA}:${uidA}`,
    );
    expect(write.code).toBe(0);
    const dataA = await dataDir(docker, "bk-a");
    const before = dataManifest(dataA);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(["memory/history.bin", "memory/notes.txt"]));

    const backupStarted = Math.floor(Date.now() / 1000);
    const backup = backupTool("backup");
    expect(backup.output).toMatch(/bk-a: snapshot [0-9a-f]{8}/);
    // Consistent: each running tenant was frozen for its copy, and thawed again.
    expect(await pauseEvents("zc-bk-a", backupStarted)).toEqual(["pause", "unpause"]);
    expect((await docker.getContainer("zc-bk-a").inspect()).State.Paused).toBe(false);
    expect(backup.output).toMatch(/bk-b: snapshot [0-9a-f]{8}/);
    const record = JSON.parse(fs.readFileSync(path.join(dataA, backupRecordFile), "utf8"));
    expect(record.bytes).toBeGreaterThan(100_000_000);
    expect(new Date(record.time).getTime()).toBeGreaterThan(Date.now() - 10 * 60_000);
    const repoBytes = Number(
        (await execIn(docker, sftpName, ["du", "-sb", "/srv/repo"])).output.trim().split(/\s+/)[0],
    );
    // Encrypted: the repository holds none of the data in the clear.
    const grep = await execIn(docker, sftpName, ["grep", "-r", "-l", "first note", "/srv/repo"]);
    expect(grep.code).toBe(1);

    // The neighbour changes after the backup; restoring bk-a must not touch that.
    const bStarted = (await docker.getContainer("zc-bk-b").inspect()).State.StartedAt;
    const uidB = derivedTenantUid("bk-b");
    await execIn(docker, "zc-bk-b", ["sh", "-c", "echo after-backup > /data/later.txt"], `${uidB}:${uidB}`);
    const bAfter = dataManifest(await dataDir(docker, "bk-b"));

    // A second backup after a change, to restore a chosen snapshot later.
    await execIn(
        docker,
        "zc-bk-a",
        ["sh", "-c", "echo 'second note' >> /data/memory/notes.txt"],
        `${uidA}:${uidA}`,
    );
    const second = backupTool("backup", "bk-a");
    const secondManifest = dataManifest(dataA);

    // Disaster: the tenant's data is gone.
    // (as the tenant: a bad skill or a bug in the agent, say)
    const wipe = await execIn(
        docker,
        "zc-bk-a",
        ["sh", "-c", "rm -rf /data/memory && echo garbage > /data/memory.txt"],
        `${uidA}:${uidA}`,
    );
    expect(wipe.code).toBe(0);
    const disaster = dataManifest(dataA);

    const restore = backupTool("restore", "bk-a");
    expect(dataManifest(dataA)).toEqual(secondManifest);
    expect(dataManifest(dataA)).not.toEqual(before);
    await waitHealthy(docker.getContainer("zc-bk-a"), 120_000);

    // Retention keeps one snapshot per day (keep-daily): the second backup replaced the first.
    const listed = backupTool("snapshots", "bk-a").output;
    const nightly = listed.split("\n").filter((l) => /tenant=bk-a\s/.test(l) && !l.includes("pre-restore"));
    expect(nightly).toHaveLength(1);

    // The restore kept what it replaced: restoring that chosen snapshot undoes the restore.
    const preRestore = /^([0-9a-f]{8}) .*pre-restore/m.exec(listed)?.[1] ?? "";
    expect(preRestore).not.toBe("");
    const chosen = backupTool("restore", "bk-a", preRestore);
    expect(dataManifest(dataA)).toEqual(disaster);
    await waitHealthy(docker.getContainer("zc-bk-a"), 120_000);
    expect((await docker.getContainer("zc-bk-a").inspect()).State.Running).toBe(true);

    expect((await docker.getContainer("zc-bk-b").inspect()).State.StartedAt).toBe(bStarted);
    expect(dataManifest(await dataDir(docker, "bk-b"))).toEqual(bAfter);

    const frozen = /bk-a: frozen for (\d+) ms/.exec(backup.output)?.[1];
    const downFor = /: healthy, (\d+) ms after it stopped/.exec(restore.output)?.[1];
    console.log(
        [
            `backup of 2 tenants (bk-a 100 MB, first backup, new repository): ${backup.seconds.toFixed(1)} s, bk-a frozen ${frozen} ms`,
            `repository size after it: ${(repoBytes / 1e6).toFixed(1)} MB`,
            `incremental backup of bk-a: ${second.seconds.toFixed(1)} s`,
            `restore of bk-a to latest (incl. pre-restore backup, stop, start, healthy): ${restore.seconds.toFixed(1)} s, of which bk-a was down (stop to healthy) ${downFor} ms`,
            `restore of bk-a to a chosen snapshot (undoing the first restore): ${chosen.seconds.toFixed(1)} s`,
        ].join("\n"),
    );
});
