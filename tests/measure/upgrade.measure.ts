/**
 * `npm run bench:engine` (with the other measure suites): an upgrade of UPGRADE_TENANTS
 * (default 50) idle stand-in tenants in three rings (canary 2, early 8, main the rest) from one
 * stand-in release to the next, through the engine suite's adapter as `pulumi up`, ring after
 * ring as `npm run upgrade` does it. Prints the upgrade's wall time, each ring's, and each
 * tenant's downtime: from the stop of its old container (Docker's kill event) to the new
 * container's first healthy status (its health_status event), both from Docker's event log.
 * Then the same for a config change of one tenant, and of every tenant at once. Each `pulumi up`
 * replaces as many tenants at once as `npm run upgrade` passes it (`--parallel`, two per engine
 * core), or UPGRADE_PARALLEL (a number, or "none" for no bound). Asserts nothing about time.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { waitGatewaysReady } from "../../lib/cli/gatewayReadiness";
import { ImagePlan } from "../../lib/config/imagePlan";
import { parseImageRings } from "../../lib/config/imageRings";
import { healthcheckStartInterval, healthVerdictSeconds } from "../../lib/docker/tenantContainers";
import { replacementsAtOnce } from "../../lib/upgrade/replacementsAtOnce";
import { runUpgrade } from "../../lib/upgrade/runUpgrade";
import { planUpgrade } from "../../lib/upgrade/upgradePlan";
import { EngineAdapter, removeLabelled, testLabel } from "../engine/support/engineAdapter";
import { buildStandinReleases, removeStandinReleases } from "../engine/support/standinVersions";
import { runProgram } from "../support/runProgram";
import { secretsFor, tenantYaml } from "../support/tenantFiles";

jest.setTimeout(90 * 60_000);

const count = Number(process.env.UPGRADE_TENANTS ?? "50");
/** `pulumi up --parallel` as `npm run upgrade` passes it, unless UPGRADE_PARALLEL says otherwise ("none": no bound). */
let parallel: number | undefined;
const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const runId = `upgrade-measure-${process.pid}`;
const repository = `zeptoclaw-fleet-test/upgrade-measure-${process.pid}`;
const releases = [{ version: "0.9.2" }, { version: "0.9.3" }];
const where = "Pulumi.dev.yaml: zeptoclaw-fleet:imageRings";
const engineEnv = { ...process.env, DOCKER_HOST: "unix:///var/run/docker.sock" };

interface DockerEvent {
    status?: string;
    id: string;
    timeNano: number;
    Actor: { Attributes: Record<string, string> };
}

/**
 * Docker's container events of this run from now until `stop` is called, oldest first. Read
 * live: the engine keeps only its last 256 events, fewer than an upgrade of 50 tenants makes.
 */
async function recordEvents(): Promise<{ stop: () => DockerEvent[] }> {
    const stream = await docker.getEvents({
        filters: { type: ["container"], label: [`${testLabel}=${runId}`] },
    });
    let text = "";
    stream.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    return {
        stop: () => {
            (stream as unknown as { destroy: () => void }).destroy();
            return text
                .split("\n")
                .filter((l) => l.trim() !== "")
                .map((l) => JSON.parse(l) as DockerEvent);
        },
    };
}

/** Per tenant: seconds from the kill of its old container to the first healthy status of its new one. */
function downtimes(events: DockerEvent[], names: string[]): Record<string, number> {
    const result: Record<string, number> = {};
    for (const name of names) {
        const mine = events.filter((e) => e.Actor.Attributes.name === `zc-${name}`);
        const kill = mine.find((e) => e.status === "kill");
        const healthy = mine.find(
            (e) => kill !== undefined && e.id !== kill.id && e.status === "health_status: healthy",
        );
        if (kill !== undefined && healthy !== undefined) {
            result[name] = Number(((healthy.timeNano - kill.timeNano) / 1e9).toFixed(1));
        }
    }
    return result;
}

/**
 * Per tenant, where its downtime went: the old container's stop (kill to die), the replacement
 * (die to the new container's start: removal, creation, start), and the start to its first
 * healthy probe.
 */
function phases(events: DockerEvent[], names: string[]): Record<string, number[]> {
    const result: Record<string, number[]> = { stop: [], replace: [], startToHealthy: [] };
    const seconds = (from: DockerEvent, to: DockerEvent) =>
        Number(((to.timeNano - from.timeNano) / 1e9).toFixed(1));
    for (const name of names) {
        const mine = events.filter((e) => e.Actor.Attributes.name === `zc-${name}`);
        const kill = mine.find((e) => e.status === "kill");
        const die = mine.find((e) => kill !== undefined && e.id === kill.id && e.status === "die");
        const start = mine.find((e) => kill !== undefined && e.id !== kill.id && e.status === "start");
        const healthy = mine.find(
            (e) => start !== undefined && e.id === start.id && e.status === "health_status: healthy",
        );
        if (kill && die && start && healthy) {
            result.stop.push(seconds(kill, die));
            result.replace.push(seconds(die, start));
            result.startToHealthy.push(seconds(start, healthy));
        }
    }
    return result;
}

/** The test tenants' ZeptoClaw settings (tests/support/tenantFiles.ts) with a system prompt. */
function withPrompt(prompt: string): Record<string, unknown> {
    return {
        agents: { defaults: { system_prompt: prompt } },
        providers: { anthropic: { api_key: { secret: "anthropicApiKey" } } },
        channels: { telegram: { enabled: true, token: { secret: "telegramBotToken" } } },
    };
}

function summary(values: number[]): Record<string, number> {
    const sorted = [...values].sort((a, b) => a - b);
    return {
        min: sorted[0],
        median: sorted[Math.floor(sorted.length / 2)],
        max: sorted[sorted.length - 1],
    };
}

test(`an upgrade of ${count} tenants in three rings`, async () => {
    await removeLabelled(docker, runId);
    const configRoot = fs.mkdtempSync(path.join(os.tmpdir(), "zc-upgrade-measure-"));
    const adapter = new EngineAdapter(docker, runId);
    const names = Array.from({ length: count }, (_, i) => `u-${String(i).padStart(3, "0")}`);
    const ringOf = new Map(names.map((n, i) => [n, i < 2 ? "canary" : i < 10 ? "early" : "main"]));
    let entries = ["canary", "early", "main"];
    /** Each tenant's system prompt: a new one is a config change, which replaces its container. */
    const prompts = new Map(names.map((n) => [n, "first"]));
    const deploy = async () => {
        const run = await runProgram({
            tenantFiles: Object.fromEntries(
                names.map((n) => [
                    `${n}.yaml`,
                    tenantYaml(n, {
                        stacks: ["dev"],
                        ring: ringOf.get(n),
                        zeptoclaw: withPrompt(prompts.get(n)!),
                    }),
                ]),
            ),
            tenantSecrets: secretsFor(names),
            config: {
                hostMemoryMb: 65536,
                configRoot,
                imageRepository: repository,
                imageVersion: "0.9.2",
                imageRings: entries,
            },
        });
        await adapter.apply(run, { parallel });
    };
    const asked = process.env.UPGRADE_PARALLEL;
    parallel =
        asked === "none"
            ? undefined
            : Number(asked ?? replacementsAtOnce((await docker.info()).NCPU as number));
    try {
        await buildStandinReleases(docker, repository, releases, runId);
        await deploy();

        const stackImage: ImagePlan = { source: "published", repository, version: "0.9.2" };
        const rings = parseImageRings(entries, stackImage, where);
        const planned = rings.ok && planUpgrade(rings.value, stackImage, ringOf, "0.9.3", where);
        if (!planned || !planned.ok) {
            throw new Error("no plan");
        }
        const ringSeconds: Record<string, number> = {};
        let ringStart = 0;
        let ring = "";
        const events = await recordEvents();
        const started = Date.now();
        const status = await runUpgrade(
            planned.plan,
            {
                setRing: (index, entry) => {
                    entries = entries.map((e, i) => (i === index ? entry : e));
                    ring = entry.split("=")[0];
                    ringStart = Date.now();
                    return Promise.resolve();
                },
                up: async () => {
                    await deploy();
                    return { ok: true };
                },
                record: () => undefined,
                finish: () => undefined,
                waitReady: async (tenants, version) => {
                    const outcomes = await waitGatewaysReady(
                        engineEnv,
                        tenants,
                        version,
                        healthVerdictSeconds * 1000,
                    );
                    ringSeconds[ring] = Number(((Date.now() - ringStart) / 1000).toFixed(1));
                    return outcomes;
                },
            },
            (line) => console.log(line),
        );
        const ended = Date.now();
        expect(status).toBe(0);

        const recorded = events.stop();
        const perTenant = downtimes(recorded, names);

        // Config changes after the upgrade: one tenant's file, then every tenant's (a fleet-wide
        // policy change), each one `pulumi up`.
        const configChange = async (changed: string[]) => {
            changed.forEach((n) => prompts.set(n, `${prompts.get(n)} again`));
            const seen = await recordEvents();
            const upStarted = Date.now();
            await deploy();
            const wallSeconds = Number(((Date.now() - upStarted) / 1000).toFixed(1));
            const downs = downtimes(seen.stop(), changed);
            expect(Object.keys(downs).sort()).toEqual([...changed].sort());
            return { tenants: changed.length, wallSeconds, downtimeSeconds: summary(Object.values(downs)) };
        };
        const configChanges = {
            oneTenant: await configChange([names[count - 1]]),
            everyTenant: await configChange(names),
        };
        console.log(`${recorded.length} container events recorded`);
        expect(Object.keys(perTenant).sort()).toEqual(names);
        const byRing = Object.fromEntries(
            ["canary", "early", "main"].map((ring) => [
                ring,
                summary(names.filter((n) => ringOf.get(n) === ring).map((n) => perTenant[n])),
            ]),
        );
        console.log(
            JSON.stringify(
                {
                    cores: os.cpus().length,
                    tenants: count,
                    parallel: parallel ?? "unbounded",
                    rings: Object.fromEntries(
                        ["canary", "early", "main"].map((r) => [
                            r,
                            names.filter((n) => ringOf.get(n) === r).length,
                        ]),
                    ),
                    upgradeWallSeconds: Number(((ended - started) / 1000).toFixed(1)),
                    ringWallSeconds: ringSeconds,
                    downtimeSeconds: { all: summary(Object.values(perTenant)), byRing },
                    downtimePhasesSeconds: Object.fromEntries(
                        Object.entries(phases(recorded, names)).map(([phase, values]) => [
                            phase,
                            summary(values),
                        ]),
                    ),
                    healthStartInterval: healthcheckStartInterval,
                    configChanges,
                    perTenantDowntimeSeconds: perTenant,
                },
                null,
                2,
            ),
        );
    } finally {
        await removeLabelled(docker, runId);
        await removeStandinReleases(docker, repository, releases);
        fs.rmSync(configRoot, { recursive: true, force: true });
    }
});
