import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { healthVerdictSeconds } from "../../lib/docker/tenantContainers";
import { engineEffects } from "../../lib/fleet/moveEngines";
import { planMove } from "../../lib/fleet/moveTenant";
import { MoveEffects, Outcome, runMove } from "../../lib/fleet/runMove";
import { VolumeEnd } from "../../lib/fleet/volumeStream";
import { derivedTenantUid } from "../../lib/tenants/tenantUid";
import { ProgramRun, runProgram } from "../support/runProgram";
import { runnableSecretsFor, runnableSettings, tenantYaml } from "../support/tenantFiles";
import { engineEvents, execIn } from "./support/engineHelpers";
import { EngineAdapter, removeLabelled } from "./support/engineAdapter";
import { startSecondEngine } from "./support/secondEngine";

// Two `pulumi up`s each waiting for a first health probe (30 s), and a second engine to start.
jest.setTimeout(15 * 60_000);

const secondDir = "/tmp/zc-second-engine";
const sockets = { dev: "/var/run/docker.sock", prod: `${secondDir}/docker.sock` };
/** The two host stacks: dev on this machine's engine (Docker 26), prod on the second one (20.10). */
type Host = keyof typeof sockets;

const tenant = "mv-shop";
const container = `zc-${tenant}`;
const volume = `${tenant}-data`;
const file = `tenants/${tenant}.yaml`;
const uid = derivedTenantUid(tenant);
const runId = `move-${process.pid}`;
const repository = `zeptoclaw-fleet-test/move-${process.pid}`;
const image = `${repository}:0.9.2`;
const testStart = Math.floor(Date.now() / 1000);

const first = new Docker({ socketPath: sockets.dev });
let second: Docker;
let adapters: Record<Host, EngineAdapter>;
const configRoots = {
    dev: fs.mkdtempSync(path.join(os.tmpdir(), "zc-move-a-")),
    prod: fs.mkdtempSync(path.join(os.tmpdir(), "zc-move-b-")),
};

/** The tenant file as the command leaves it, and each stack's tenantSecrets. */
let tenantText = `# moved by the engine test\n${tenantYaml(tenant, { stacks: ["dev"], zeptoclaw: runnableSettings() })}`;
const stackSecrets: Record<Host, Record<string, Record<string, string>>> = {
    dev: runnableSecretsFor([tenant]),
    prod: {},
};

function program(stack: Host, preview = false): Promise<ProgramRun> {
    return runProgram({
        stack,
        preview,
        tenantFiles: { [`${tenant}.yaml`]: tenantText },
        tenantSecrets: stackSecrets[stack],
        config: {
            environment: "move-test",
            hostName: `move-${stack}`,
            dockerHost: `unix://${sockets[stack]}`,
            configRoot: configRoots[stack],
            imageRepository: repository,
            imageVersion: "0.9.2",
            // Docker 20.10 has no healthcheck start_interval: its tenants are probed at the steady
            // interval only, as on a debian-12 host.
            ...(stack === "prod" ? { dockerApiVersion: "1.41" } : {}),
        },
    });
}

/**
 * The two engines share this machine's network namespace, where a Linux interface name is
 * taken once; the program names its bridge zc-tenants on every host, each its own machine.
 */
function onSecondEngine(run: ProgramRun): ProgramRun {
    for (const network of run.byType("docker:index/network:Network")) {
        network.inputs.options = {
            ...network.inputs.options,
            "com.docker.network.bridge.name": "zcm-tenants",
        };
    }
    return run;
}

async function up(stack: Host): Promise<Outcome> {
    try {
        const run = await program(stack);
        await adapters[stack].apply(stack === "prod" ? onSecondEngine(run) : run);
        return { ok: true };
    } catch (err) {
        return { ok: false, reason: (err as Error).message };
    }
}

/**
 * Every entry of a volume (path, type, owner, mode, size, link target) and the SHA-256 of each
 * file, from a throwaway container with the volume mounted read-only.
 */
function manifest(stack: Host): string {
    const script =
        "cd /v && find . -printf '%p|%y|%U:%G|%m|%s|%l\\n' | LC_ALL=C sort && " +
        "find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum";
    return execFileSync(
        "docker",
        [
            "run",
            "--rm",
            "--network",
            "none",
            "--user",
            "0:0",
            "--entrypoint",
            "sh",
            "--mount",
            `type=volume,source=${volume},target=/v,readonly`,
            image,
            "-c",
            script,
        ],
        {
            env: { ...process.env, DOCKER_HOST: `unix://${sockets[stack]}` },
            encoding: "utf8",
            maxBuffer: 64 << 20,
        },
    );
}

interface SeenEvent {
    host: Host;
    action: string;
    ms: number;
}

/** The tenant container's events on both engines since the test started. */
async function events(): Promise<SeenEvent[]> {
    const seen: SeenEvent[] = [];
    for (const [host, docker] of [
        ["dev", first],
        ["prod", second],
    ] as const) {
        const found = await engineEvents(docker, { type: ["container"], container: [container] }, testStart);
        seen.push(...found.map((e) => ({ host, action: e.Action, ms: e.timeNano / 1e6 })));
    }
    return seen.sort((a, b) => a.ms - b.ms);
}

/** The tenant's volume on this machine's engine: a move's copy carries no test label. */
const removeCopiedVolume = () =>
    first
        .getVolume(volume)
        .remove()
        .catch(() => undefined);

let secondEngine: Awaited<ReturnType<typeof startSecondEngine>> | undefined;

beforeAll(async () => {
    await removeLabelled(first);
    await removeCopiedVolume();
    secondEngine = await startSecondEngine(secondDir, "debian-12", first, repository);
    second = secondEngine.docker;
    adapters = { dev: new EngineAdapter(first, runId), prod: new EngineAdapter(second, runId) };
});

afterAll(async () => {
    await adapters?.dev.removeEverything();
    await removeCopiedVolume();
    await secondEngine?.stop();
    for (const dir of Object.values(configRoots)) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

test("the two hosts are both generations: Docker 26 (debian-13) here, Docker 20.10 (debian-12) the second", async () => {
    // While debian-12 hosts exist, this suite is what proves the program still deploys and runs a
    // tenant on their engine, and moves one between the generations.
    const [here, there] = await Promise.all([first.version(), second.version()]);
    expect({
        here: here.Version.split(".")[0],
        there: there.Version.split(".").slice(0, 2).join("."),
    }).toEqual({
        here: "26",
        there: "20.10",
    });
});

const dataBytes = 8388608;
/** The lines of a manifest about the tenant's files this test wrote. */
const ours = (m: string) => m.split("\n").filter((l) => l.includes("./move"));
/** Those lines as the first move found them on its source. */
let writtenData: string[] = [];

/** The other host of the two. */
const otherHost = (host: Host): Host => (host === "dev" ? "prod" : "dev");

interface MoveRun {
    status: number;
    /** Each volume's manifest: the source's once stopped, the target's once copied. */
    stopped: string;
    copied: string;
    copyMs: number;
    /** The test's own reading of both volumes, inside the downtime window. */
    manifestMs: number;
    /** When the move started, in ms since the epoch. */
    started: number;
}

/** `npm run fleet -- move <tenant> <target>`, its effects on the two engines and this test's stacks. */
async function moveTo(target: Host): Promise<MoveRun> {
    const source = otherHost(target);
    const result: MoveRun = {
        status: -1,
        stopped: "",
        copied: "",
        copyMs: 0,
        manifestMs: 0,
        started: Date.now(),
    };
    const engines = new Map<string, VolumeEnd>(
        (["dev", "prod"] as const).map((h) => [
            h,
            { env: { ...process.env, DOCKER_HOST: `unix://${sockets[h]}` }, image },
        ]),
    );
    const onEngines = engineEffects(engines, healthVerdictSeconds * 1000);
    const effects: MoveEffects = {
        ...onEngines,
        copyVolume: async (from, to, name, who) => {
            // What the copy read: the source after the stop.
            const before = Date.now();
            result.stopped = manifest(source);
            const copyStarted = Date.now();
            await onEngines.copyVolume(from, to, name, who);
            result.copyMs = Date.now() - copyStarted;
            result.copied = manifest(target);
            result.manifestMs = Date.now() - before - result.copyMs;
        },
        readSecret: (stack, t, name) => Promise.resolve(stackSecrets[stack as Host][t][name]),
        writeSecret: (stack, t, name, value) => {
            const secrets = stackSecrets[stack as Host];
            secrets[t] = { ...secrets[t], [name]: value };
            return Promise.resolve();
        },
        removeSecrets: (stack, t) => {
            delete stackSecrets[stack as Host][t];
            return Promise.resolve();
        },
        readFile: () => tenantText,
        writeFile: (_file, text) => {
            tenantText = text;
        },
        preview: (stack) =>
            program(stack as Host, true).then(
                () => ({ ok: true }),
                (err: Error) => ({ ok: false, reason: err.message }),
            ),
        up: (stack) => up(stack as Host),
        now: () => Date.now(),
        // This suite's moves are not killed: tests/engine/moveCrash.engine.test.ts kills them.
        record: () => undefined,
        finish: () => undefined,
    };
    const planned = planMove({
        tenant,
        target,
        hosts: [
            { stack: "dev", environment: "move-test", tenantsDir: "tenants" },
            { stack: "prod", environment: "move-test", tenantsDir: "tenants" },
        ],
        file: { path: file, stacks: [source] },
        secrets: Object.keys(stackSecrets[source][tenant]),
        container,
        volume,
    });
    if (!planned.ok) {
        throw new Error(planned.message);
    }
    const lines: string[] = [];
    result.status = await runMove(planned.plan, effects, (line) => lines.push(line));
    console.log(lines.join("\n"));
    return result;
}

/**
 * Never on both: the source's last stop precedes the target's first start, and the source never
 * started again; returns the target's start and first healthy status, and the source's die.
 */
async function neverOnBoth(source: Host, since: number) {
    const target = otherHost(source);
    const seen = (await events()).filter((e) => e.ms >= since);
    const sourceDies = seen.filter((e) => e.host === source && e.action === "die");
    const sourceDie = sourceDies[sourceDies.length - 1];
    const targetStart = seen.find((e) => e.host === target && e.action === "start");
    const targetHealthy = seen.find((e) => e.host === target && e.action === "health_status: healthy");
    expect(sourceDie).toBeDefined();
    expect(targetStart).toBeDefined();
    expect(targetHealthy).toBeDefined();
    expect(sourceDie.ms).toBeLessThan(targetStart!.ms);
    expect(seen.filter((e) => e.host === source && e.action === "start" && e.ms > sourceDie.ms)).toEqual([]);
    return { sourceDie, targetStart: targetStart!, targetHealthy: targetHealthy! };
}

function printMeasured(direction: string, move: MoveRun, times: Awaited<ReturnType<typeof neverOnBoth>>) {
    console.log(
        `move measured (${direction}): ${(dataBytes / 1048576).toFixed(0)} MiB of random data plus 203 small files; ` +
            `copy ${(move.copyMs / 1000).toFixed(2)} s; down ${((times.targetHealthy.ms - times.sourceDie.ms) / 1000).toFixed(1)} s ` +
            `(source die -> target healthy), of which ${(move.manifestMs / 1000).toFixed(2)} s this test's ` +
            `reading of both volumes, and the target's first health probe ` +
            `${((times.targetHealthy.ms - times.targetStart.ms) / 1000).toFixed(1)} s after its start`,
    );
}

test("a tenant moves to another engine with its data byte-identical, never running on both", async () => {
    expect(await up("dev")).toEqual({ ok: true });
    expect(await up("prod")).toEqual({ ok: true });
    // Its data: a few MB that do not compress, a nested tree, several modes, a link, an empty file.
    const write = await execIn(
        first,
        container,
        [
            "sh",
            "-c",
            "set -e; mkdir -p /data/move/a/b/c && head -c 8388608 /dev/urandom > /data/move/a/b/c/blob && " +
                "for i in $(seq 1 200); do echo $i > /data/move/a/f$i; done && " +
                "echo secret > '/data/move/with space' && chmod 600 '/data/move/with space' && " +
                "printf '#!/bin/sh\\n' > /data/move/a/run.sh && chmod 750 /data/move/a/run.sh && " +
                "mkdir -m 700 /data/move/private && : > /data/move/private/empty && ln -s a/b/c/blob /data/move/link",
        ],
        // Its uid and its group: /data is root's, open to the tenant's group only.
        `${uid}:${uid}`,
    );
    expect(write).toEqual({ code: 0, output: "" });

    const move = await moveTo("prod");
    expect(move.status).toBe(0);

    // Byte-identical: every path, type, owner, mode, size, link target and file hash.
    expect(move.stopped).toMatch(/\.\/move\/a\/b\/c\/blob\|f\|\d+:\d+\|644\|8388608\|/);
    expect(move.stopped).toContain(`./move/with space|f|${uid}:${uid}|600|7|`);
    expect(move.stopped).toContain("./move/link|l|");
    expect(move.copied).toBe(move.stopped);
    // The tenant's data is still so once it runs on the target.
    writtenData = ours(move.stopped);
    expect(ours(manifest("prod"))).toEqual(writtenData);

    const target = await second.getContainer(container).inspect();
    expect(target.State.Health?.Status).toBe("healthy");
    await expect(first.getContainer(container).inspect()).rejects.toThrow(/no such container/i);
    // The source volume stays, with the data it had.
    expect(manifest("dev")).toBe(move.stopped);
    expect(tenantText).toMatch(/^# moved by the engine test\n/);
    expect(tenantText).toMatch(/\nstacks:\n {2}- prod\n/);
    expect(stackSecrets.prod[tenant]).toEqual(stackSecrets.dev[tenant]);

    printMeasured("Docker 26 to 20.10", move, await neverOnBoth("dev", testStart * 1000));
});

test("and back from Docker 20.10 (a debian-12 host) to Docker 26 (debian-13): the fleet's way off debian-12", async () => {
    // The way a live fleet leaves debian-12 (docs/operations.md): each tenant moves to a debian-13
    // host. Here that host still has the tenant's old volume, which the move refuses to overwrite
    // until the operator deletes it there, as the runbook says.
    const refused = await moveTo("dev");
    expect(refused.status).toBe(1);
    expect((await second.getContainer(container).inspect()).State.Running).toBe(true);
    expect(tenantText).toMatch(/\nstacks:\n {2}- prod\n/);
    await first.getVolume(volume).remove();

    const move = await moveTo("dev");
    expect(move.status).toBe(0);
    expect(move.copied).toBe(move.stopped);
    // There and back, byte-identical.
    expect(ours(move.stopped)).toEqual(writtenData);
    expect(ours(manifest("dev"))).toEqual(writtenData);

    const target = await first.getContainer(container).inspect();
    expect(target.State.Health?.Status).toBe("healthy");
    // Probed every half second while it starts, as a Docker 26 host's tenants are.
    expect(target.Config.Healthcheck?.StartInterval).toBe(5e8);
    await expect(second.getContainer(container).inspect()).rejects.toThrow(/no such container/i);
    expect(tenantText).toMatch(/\nstacks:\n {2}- dev\n/);

    const times = await neverOnBoth("prod", move.started);
    printMeasured("Docker 20.10 to 26", move, times);
    // Docker 26 probes the new container a second after its start, not 30 s.
    expect(times.targetHealthy.ms - times.targetStart.ms).toBeLessThan(10_000);
});
