/**
 * One run of `npm run fleet -- move|drain`, in a process of its own that the fault-injection
 * suite (tests/engine/fleetCrash.engine.test.ts) may kill. The hosts' engines are reached with the
 * Docker CLI, as the command reaches them (lib/fleet/moveEngines.ts); the tenant files are the
 * project's; the stacks' secrets are the project's secrets.json; Pulumi's preview and up are asked
 * of the parent process, which holds the stacks' state as Pulumi's backend would and applies it
 * through the engine adapter. Every journal write that ends a step (a move's step done, a drain's
 * move done) is appended to BOUNDARY_LOG; with KILL_AT=<n> the process sends itself SIGKILL right
 * after the n-th: between two steps, as a laptop that dies or a cancelled CI job would leave it.
 *
 * Usage (forked, with an IPC channel): fleetChild.ts <project root> move|drain <args...>
 * Environment: FLEET_ENGINES, JSON {stack: {dockerHost, image}}; KILL_AT; BOUNDARY_LOG.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CommandError } from "../../../lib/cli/command";
import { healthVerdictSeconds } from "../../../lib/docker/tenantContainers";
import { engineEffects } from "../../../lib/fleet/moveEngines";
import { JournalFile } from "../../../lib/fleet/operationJournal";
import { Outcome } from "../../../lib/fleet/runMove";
import { VolumeEnd } from "../../../lib/fleet/volumeStream";
import { drainCommand } from "../../../scripts/fleetDrain";
import { ReachedHosts, moveCommand } from "../../../scripts/fleetMove";

/** What the child asks of the parent. */
export interface ChildMessage {
    id: number;
    operation: "preview" | "up";
    stack: string;
}

/** The parent's answer to a `pulumi` message. */
export interface PulumiReply {
    id: number;
    outcome: Outcome;
}

type Secrets = Record<string, Record<string, Record<string, string>>>;

const [root, ...argv] = process.argv.slice(2);
const killAt = Number(process.env.KILL_AT ?? "0");
const boundaryLog = process.env.BOUNDARY_LOG ?? path.join(root, "boundaries.log");
const engines = JSON.parse(process.env.FLEET_ENGINES ?? "{}") as Record<
    string,
    { dockerHost: string; image: string }
>;
const secretsFile = path.join(root, "secrets.json");

let boundaries = 0;
// The journal's own write, wrapped below: `this` is passed on by call().
// eslint-disable-next-line @typescript-eslint/unbound-method
const write = JournalFile.prototype.write;
JournalFile.prototype.write = function (this: JournalFile<unknown>, entry: unknown): void {
    write.call(this, entry);
    const boundary = stepEnded(entry);
    if (boundary === undefined) {
        return;
    }
    boundaries += 1;
    // Written at once, unlike an IPC message, which a kill right after it would lose.
    fs.appendFileSync(boundaryLog, `${boundary}\n`);
    if (boundaries === killAt) {
        process.kill(process.pid, "SIGKILL");
    }
};

/** The step a journal write ends, if it ends one. */
function stepEnded(entry: unknown): string | undefined {
    const move = entry as {
        plan?: { tenant?: string };
        progress?: { done: number; begun: boolean; failedAt?: number };
    };
    if (move.progress !== undefined) {
        return move.progress.begun || move.progress.failedAt !== undefined
            ? undefined
            : `${move.plan?.tenant}: ${move.progress.done} step(s) done`;
    }
    const drain = entry as { plan?: { host?: string }; done?: number };
    return drain.done === undefined ? undefined : `drain of ${drain.plan?.host}: ${drain.done} move(s) done`;
}

let nextId = 0;
const waiting = new Map<number, (outcome: Outcome) => void>();
process.on("message", (reply: PulumiReply) => {
    waiting.get(reply.id)?.(reply.outcome);
    waiting.delete(reply.id);
});

function pulumi(operation: "preview" | "up", stack: string): Promise<Outcome> {
    const id = nextId++;
    return new Promise((resolve) => {
        waiting.set(id, resolve);
        process.send!({ id, operation, stack } satisfies ChildMessage);
    });
}

function readSecrets(): Secrets {
    return JSON.parse(fs.readFileSync(secretsFile, "utf8")) as Secrets;
}

function writeSecrets(secrets: Secrets): void {
    fs.writeFileSync(`${secretsFile}.next`, JSON.stringify(secrets, null, 2));
    fs.renameSync(`${secretsFile}.next`, secretsFile);
}

function reach(): Promise<ReachedHosts> {
    const ends = new Map<string, VolumeEnd>(
        Object.entries(engines).map(([stack, e]) => [
            stack,
            { env: { ...process.env, DOCKER_HOST: e.dockerHost }, image: e.image },
        ]),
    );
    return Promise.resolve({
        close: () => undefined,
        effects: {
            ...engineEffects(ends, healthVerdictSeconds * 1000),
            readSecret: (stack, tenant, name) => Promise.resolve(readSecrets()[stack][tenant][name]),
            writeSecret: (stack, tenant, name, value) => {
                const secrets = readSecrets();
                secrets[stack][tenant] = { ...secrets[stack][tenant], [name]: value };
                writeSecrets(secrets);
                return Promise.resolve();
            },
            removeSecrets: (stack, tenant) => {
                const secrets = readSecrets();
                delete secrets[stack][tenant];
                writeSecrets(secrets);
                return Promise.resolve();
            },
            readFile: (file) => fs.readFileSync(path.join(root, file), "utf8"),
            writeFile: (file, text) => fs.writeFileSync(path.join(root, file), text),
            preview: (stack) => pulumi("preview", stack),
            up: (stack) => pulumi("up", stack),
            now: () => Date.now(),
        },
    });
}

async function main(): Promise<number> {
    const context = { cwd: root, stdout: process.stdout, stderr: process.stderr };
    switch (argv[0]) {
        case "move":
            return moveCommand(argv.slice(1), root, context, reach);
        case "drain":
            return drainCommand(argv.slice(1), root, context, {
                serverTypes: () => Promise.reject(new Error("local hosts only")),
                reach,
            });
        default:
            throw new Error(`fleetChild: move or drain, not ${argv[0]}`);
    }
}

main().then(
    (status) => process.exit(status),
    (err: unknown) => {
        process.stderr.write(`fleet: ${err instanceof CommandError ? err.message : String(err)}\n`);
        process.exit(err instanceof CommandError ? err.exitStatus : 1);
    },
);
