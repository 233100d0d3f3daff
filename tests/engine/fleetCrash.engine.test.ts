/**
 * Fault injection: `fleet move` and `fleet drain` killed with SIGKILL between each pair of their
 * steps, on two Docker 26 engines (this machine's and a second one, scripts/engine/second-engine.sh).
 * The command runs in a process of its own (tests/engine/support/fleetChild.ts); this process
 * holds the two stacks' state, as Pulumi's backend would, and applies their previews and ups
 * through the engine adapter. After each kill: the tenant runs on one host at most, and its data
 * is whole on its source. Then the same command, run again, finishes the job: the tenant runs
 * exactly once, healthy, where its tenant file says, its data byte-identical to what it was
 * before the first move (owner, mode, SHA-256 of every file), no journal left.
 */
import { ChildProcess, fork } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import Docker from "dockerode";
import { parse } from "yaml";
import { derivedTenantUid } from "../../lib/tenants/tenantUid";
import { Outcome } from "../../lib/fleet/runMove";
import { ProgramRun, runProgram } from "../support/runProgram";
import { tempDir } from "../support/tempDir";
import { runnableSecretsFor, runnableSettings, tenantYaml } from "../support/tenantFiles";
import { dataManifest } from "./support/dataManifest";
import { EngineAdapter, removeLabelled } from "./support/engineAdapter";
import { execIn } from "./support/engineHelpers";
import type { ChildMessage, PulumiReply } from "./support/fleetChild";
import { startSecondEngine } from "./support/secondEngine";

jest.setTimeout(40 * 60_000);

const repo = path.resolve(__dirname, "..", "..");
const secondDir = "/tmp/zc-crash-engine";
/**
 * The two host stacks, named as the project's own stack files (the program, under mocks, knows
 * the stacks of the Pulumi.<stack>.yaml beside it); the test project makes them one environment.
 */
const sockets = { dev: "/var/run/docker.sock", prod: `${secondDir}/docker.sock` };
type Stack = keyof typeof sockets;
const other = (stack: Stack): Stack => (stack === "dev" ? "prod" : "dev");

const runId = `crash-${process.pid}`;
const repository = `zeptoclaw-fleet-test/crash-${process.pid}`;
const image = `${repository}:0.9.2`;
const root = tempDir("zc-crash-project-");
const configRoots = { dev: tempDir("zc-crash-dev-"), prod: tempDir("zc-crash-prod-") };
const dockers: Record<Stack, Docker> = {
    dev: new Docker({ socketPath: sockets.dev }),
    prod: new Docker({ socketPath: sockets.prod }),
};
let adapters: Record<Stack, EngineAdapter>;

/** The project: two host stacks of environment crash, these tenants on them, their secrets. */
function writeProject(tenants: Record<string, Stack>): void {
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(path.join(root, "tenants"), { recursive: true });
    fs.copyFileSync(path.join(repo, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    for (const stack of Object.keys(sockets)) {
        fs.writeFileSync(
            path.join(root, `Pulumi.${stack}.yaml`),
            `config:\n    zeptoclaw-fleet:environment: crash\n    zeptoclaw-fleet:hostMemoryMb: 8192\n`,
        );
    }
    const secrets: Record<string, Record<string, Record<string, string>>> = { dev: {}, prod: {} };
    for (const [tenant, stack] of Object.entries(tenants)) {
        fs.writeFileSync(
            path.join(root, `tenants/${tenant}.yaml`),
            tenantYaml(tenant, { stacks: [stack], zeptoclaw: runnableSettings() }),
        );
        secrets[stack][tenant] = runnableSecretsFor([tenant])[tenant];
    }
    fs.writeFileSync(path.join(root, "secrets.json"), JSON.stringify(secrets));
}

/** The stacks a tenant's file lists. */
function listed(tenant: string): string[] {
    return (parse(fs.readFileSync(path.join(root, `tenants/${tenant}.yaml`), "utf8")) as { stacks: string[] })
        .stacks;
}

/** A stack's program as the project now declares it, from its tenant files and secrets. */
function program(stack: Stack, preview: boolean): Promise<ProgramRun> {
    const dir = path.join(root, "tenants");
    const secrets = JSON.parse(fs.readFileSync(path.join(root, "secrets.json"), "utf8")) as Record<
        string,
        Record<string, Record<string, string>>
    >;
    return runProgram({
        stack,
        preview,
        tenantFiles: Object.fromEntries(
            fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]),
        ),
        tenantSecrets: secrets[stack],
        config: {
            environment: "crash",
            hostName: stack,
            hostMemoryMb: 8192,
            dockerHost: `unix://${sockets[stack]}`,
            configRoot: configRoots[stack],
            imageRepository: repository,
            imageVersion: "0.9.2",
        },
    });
}

/** `pulumi preview` or `pulumi up` of a stack, as the child asks for it. */
async function pulumi(operation: "preview" | "up", stack: Stack): Promise<Outcome> {
    try {
        const run = await program(stack, operation === "preview");
        if (operation === "up") {
            // Both engines share this machine's interfaces: the second one's bridge gets its own name.
            if (stack === "prod") {
                for (const network of run.byType("docker:index/network:Network")) {
                    network.inputs.options = {
                        ...network.inputs.options,
                        "com.docker.network.bridge.name": "zcc-tenants",
                    };
                }
            }
            await adapters[stack].apply(run);
        }
        return { ok: true };
    } catch (err) {
        return { ok: false, reason: (err as Error).message };
    }
}

interface ChildRun {
    status: number | null;
    signal: NodeJS.Signals | null;
    /** The steps it ended, as its journal writes said. */
    boundaries: string[];
    output: string;
}

/** `npm run fleet -- <argv>` in a process of its own, killed after its `killAt`-th step (0: never). */
function runChild(argv: string[], killAt: number): Promise<ChildRun> {
    const boundaryLog = path.join(tempDir("zc-crash-log-"), "boundaries.log");
    const child: ChildProcess = fork(path.join(__dirname, "support/fleetChild.ts"), [root, ...argv], {
        execArgv: ["-r", path.join(repo, "bench/registerPulumiTsNode.js")],
        env: {
            ...process.env,
            KILL_AT: String(killAt),
            BOUNDARY_LOG: boundaryLog,
            FLEET_ENGINES: JSON.stringify(
                Object.fromEntries(
                    Object.entries(sockets).map(([s, socket]) => [
                        s,
                        { dockerHost: `unix://${socket}`, image },
                    ]),
                ),
            ),
        },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    child.on("message", (message: ChildMessage) => {
        void pulumi(message.operation, message.stack as Stack).then((outcome) => {
            if (child.connected) {
                child.send({ id: message.id, outcome } satisfies PulumiReply);
            }
        });
    });
    const boundaries = () =>
        fs.existsSync(boundaryLog) ? fs.readFileSync(boundaryLog, "utf8").trim().split("\n") : [];
    return new Promise((resolve) =>
        child.on("exit", (status, signal) => resolve({ status, signal, boundaries: boundaries(), output })),
    );
}

/** The stacks whose engine runs the tenant's container. */
async function runningOn(tenant: string): Promise<Stack[]> {
    const where: Stack[] = [];
    for (const stack of Object.keys(sockets) as Stack[]) {
        const found = await dockers[stack]
            .getContainer(`zc-${tenant}`)
            .inspect()
            .catch(() => undefined);
        if (found?.State.Running) {
            where.push(stack);
        }
    }
    return where;
}

/** What the test wrote into the tenant's volume on a stack's engine, or undefined without the volume. */
async function dataOn(stack: Stack, tenant: string): Promise<Record<string, string> | undefined> {
    const volume = await dockers[stack]
        .getVolume(`${tenant}-data`)
        .inspect()
        .catch(() => undefined);
    if (volume === undefined) {
        return undefined;
    }
    const all = dataManifest(volume.Mountpoint);
    return Object.fromEntries(Object.entries(all).filter(([file]) => file.startsWith("crash")));
}

/** A few MB that do not compress, a nested tree, modes, a link, written by the tenant itself. */
async function writeData(stack: Stack, tenant: string): Promise<Record<string, string>> {
    const uid = derivedTenantUid(tenant);
    const write = await execIn(
        dockers[stack],
        `zc-${tenant}`,
        [
            "sh",
            "-c",
            "set -e; mkdir -p /data/crash/a/b && head -c 2097152 /dev/urandom > /data/crash/a/b/blob && " +
                "for i in $(seq 1 50); do echo $i > /data/crash/a/f$i; done && chmod 600 /data/crash/a/f1 && " +
                "ln -s a/b/blob /data/crash/link",
        ],
        `${uid}:${uid}`,
    );
    expect(write).toEqual({ code: 0, output: "" });
    const data = await dataOn(stack, tenant);
    expect(Object.keys(data!)).toHaveLength(55);
    return data!;
}

/** What a finished move of the tenant leaves: on `target` alone, healthy, data whole, file and journals saying so. */
async function movedTo(tenant: string, target: Stack, data: Record<string, string>): Promise<void> {
    expect(await runningOn(tenant)).toEqual([target]);
    const state = await dockers[target].getContainer(`zc-${tenant}`).inspect();
    expect(state.State.Health?.Status).toBe("healthy");
    expect(await dataOn(target, tenant)).toEqual(data);
    expect(listed(tenant)).toEqual([target]);
    expect(fs.readdirSync(path.join(root, ".zeptoclaw-fleet/operations"))).toEqual([]);
}

/** The old volume a move left on its source, deleted as the operator deletes it once sure. */
async function removeOldVolume(stack: Stack, tenant: string): Promise<void> {
    await dockers[stack].getVolume(`${tenant}-data`).remove();
}

let secondEngine: Awaited<ReturnType<typeof startSecondEngine>> | undefined;

beforeAll(async () => {
    await removeLabelled(dockers.dev);
    secondEngine = await startSecondEngine(secondDir, "debian-13", dockers.dev, repository);
    adapters = {
        dev: new EngineAdapter(dockers.dev, runId),
        prod: new EngineAdapter(dockers.prod, runId),
    };
});

afterAll(async () => {
    await adapters?.dev.removeEverything();
    for (const tenant of ["cr-move", "cr-one", "cr-two"]) {
        await dockers.dev
            .getVolume(`${tenant}-data`)
            .remove()
            .catch(() => undefined);
    }
    await secondEngine?.stop();
});

test("the second engine is Docker 26 too", async () => {
    expect((await dockers.prod.version()).Version).toMatch(/^26\./);
});

test("a move killed between any two of its steps never runs the tenant twice or loses its data, and the next run finishes it", async () => {
    const tenant = "cr-move";
    writeProject({ [tenant]: "dev" });
    expect(await pulumi("up", "dev")).toEqual({ ok: true });
    expect(await pulumi("up", "prod")).toEqual({ ok: true });
    const data = await writeData("dev", tenant);

    // Once whole, to count its steps.
    const whole = await runChild(["move", tenant, "prod"], 0);
    expect({ status: whole.status, output: whole.output }).toEqual({ status: 0, output: expect.any(String) });
    expect(whole.boundaries).toEqual(Array.from({ length: 9 }, (_, i) => `${tenant}: ${i + 1} step(s) done`));
    await movedTo(tenant, "prod", data);
    await removeOldVolume("dev", tenant);

    let source: Stack = "prod";
    for (let kill = 1; kill <= whole.boundaries.length; kill++) {
        const target = other(source);
        const killed = await runChild(["move", tenant, target], kill);
        expect({ kill, signal: killed.signal }).toEqual({ kill, signal: "SIGKILL" });
        expect(killed.boundaries).toHaveLength(kill);
        // Killed: on one host at most, and its data whole where it came from.
        expect((await runningOn(tenant)).length).toBeLessThanOrEqual(1);
        expect(await dataOn(source, tenant)).toEqual(data);

        const again = await runChild(["move", tenant, target], 0);
        expect({ kill, status: again.status, output: again.output }).toEqual({
            kill,
            status: 0,
            output: expect.any(String),
        });
        expect(again.output).toMatch(/taking up where a run was stopped/);
        await movedTo(tenant, target, data);
        await removeOldVolume(source, tenant);
        source = target;
    }
});

test("a drain killed between any two of its steps leaves every tenant running once on its data, and the next run finishes it", async () => {
    const tenants = ["cr-one", "cr-two"];
    writeProject({ "cr-one": "dev", "cr-two": "dev" });
    expect(await pulumi("up", "dev")).toEqual({ ok: true });
    expect(await pulumi("up", "prod")).toEqual({ ok: true });
    const data = Object.fromEntries(
        await Promise.all(tenants.map(async (t) => [t, await writeData("dev", t)])),
    );

    const whole = await runChild(["drain", "dev"], 0);
    expect({ status: whole.status, output: whole.output }).toEqual({ status: 0, output: expect.any(String) });
    // Nine steps for each tenant's move, and the drain's record after each move.
    expect(whole.boundaries).toHaveLength(20);
    for (const tenant of tenants) {
        await movedTo(tenant, "prod", data[tenant]);
        await removeOldVolume("dev", tenant);
    }

    let drained: Stack = "prod";
    for (let kill = 1; kill <= whole.boundaries.length; kill++) {
        const killed = await runChild(["drain", drained], kill);
        expect({ kill, signal: killed.signal }).toEqual({ kill, signal: "SIGKILL" });
        for (const tenant of tenants) {
            expect((await runningOn(tenant)).length).toBeLessThanOrEqual(1);
            expect(await dataOn(drained, tenant)).toEqual(data[tenant]);
        }
        const again = await runChild(["drain", drained], 0);
        expect({ kill, status: again.status, output: again.output }).toEqual({
            kill,
            status: 0,
            output: expect.any(String),
        });
        expect(again.output).toMatch(/taking up the drain of/);
        for (const tenant of tenants) {
            await movedTo(tenant, other(drained), data[tenant]);
            await removeOldVolume(drained, tenant);
        }
        drained = other(drained);
    }
});
