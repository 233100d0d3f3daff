import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { waitGatewaysReady } from "../../lib/cli/gatewayReadiness";
import { healthVerdictSeconds } from "../../lib/docker/tenantContainers";
import { UpgradeEffects, runUpgrade } from "../../lib/upgrade/runUpgrade";
import { planUpgrade } from "../../lib/upgrade/upgradePlan";
import { parseImageRings } from "../../lib/config/imageRings";
import { ImagePlan } from "../../lib/config/imagePlan";
import { runProgram } from "../support/runProgram";
import { runnableSecretsFor, runnableSettings, tenantYaml } from "../support/tenantFiles";
import { EngineAdapter, removeLabelled } from "./support/engineAdapter";
import { StandinRelease, buildStandinReleases, removeStandinReleases } from "./support/standinVersions";

// Real containers: a never-ready canary holds `pulumi up` for the provider's whole wait (120 s).
jest.setTimeout(20 * 60_000);

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const runId = `upgrade-${process.pid}`;
const adapter = new EngineAdapter(docker, runId);
const configRoot = fs.mkdtempSync(path.join(os.tmpdir(), "zc-upgrade-"));
const repository = `zeptoclaw-fleet-test/upgrade-${process.pid}`;
const releases: StandinRelease[] = [
    { version: "0.9.2" },
    { version: "0.9.3" },
    { version: "0.9.3-neverready", neverReady: true },
];
const where = "Pulumi.dev.yaml: zeptoclaw-fleet:imageRings";
const stackImage: ImagePlan = { source: "published", repository, version: "0.9.2" };
const tenants = { "up-canary": "canary", "up-main-a": "main", "up-main-b": "main" };
const engineEnv = { ...process.env, DOCKER_HOST: "unix:///var/run/docker.sock" };

let imageIds: Record<string, string>;
/** The stack config's imageRings, as `pulumi config set` leaves it. */
let entries = ["canary", "main"];

/** The program of the stack as its config stands, applied to the engine as `pulumi up` would. */
async function up(): Promise<{ ok: true } | { ok: false; reason: string }> {
    const run = await runProgram({
        tenantFiles: Object.fromEntries(
            Object.entries(tenants).map(([name, ring]) => [
                `${name}.yaml`,
                tenantYaml(name, { stacks: ["dev"], ring, zeptoclaw: runnableSettings() }),
            ]),
        ),
        tenantSecrets: runnableSecretsFor(Object.keys(tenants)),
        config: { configRoot, imageRepository: repository, imageVersion: "0.9.2", imageRings: entries },
    });
    try {
        await adapter.apply(run);
        return { ok: true };
    } catch (error) {
        return { ok: false, reason: (error as Error).message };
    }
}

const effects: UpgradeEffects = {
    setRing: (index, entry) => {
        entries = entries.map((e, i) => (i === index ? entry : e));
        return Promise.resolve();
    },
    up,
    waitReady: (names, version) => waitGatewaysReady(engineEnv, names, version, healthVerdictSeconds * 1000),
    // Not killed here: tests/lib/upgrade/runUpgrade.test.ts takes up a killed run's record.
    record: () => undefined,
    finish: () => undefined,
};

/** `npm run upgrade -- -s dev <version>` with these effects: its exit status and what it printed. */
async function upgrade(version: string): Promise<{ status: number; lines: string[] }> {
    const rings = parseImageRings(entries, stackImage, where);
    if (!rings.ok) {
        throw new Error(JSON.stringify(rings.problems));
    }
    const planned = planUpgrade(rings.value, stackImage, new Map(Object.entries(tenants)), version, where);
    if (!planned.ok) {
        throw new Error(planned.message);
    }
    const lines: string[] = [];
    const status = await runUpgrade(planned.plan, effects, (line) => lines.push(line));
    return { status, lines };
}

async function gateway(name: string) {
    const info = await docker.getContainer(`zc-${name}`).inspect();
    return {
        id: info.Id,
        image: info.Image,
        version: info.Config.Labels["com.zeptoclaw.version"],
        health: info.State.Health?.Status,
        created: Date.parse(info.Created),
    };
}

beforeAll(async () => {
    await removeLabelled(docker, runId);
    imageIds = await buildStandinReleases(docker, repository, releases, runId);
});

afterAll(async () => {
    await adapter.removeEverything();
    await removeStandinReleases(docker, repository, releases);
    fs.rmSync(configRoot, { recursive: true, force: true });
});

test("a version the canary never becomes ready on is rolled back there; the main ring never sees it; a good version goes through every ring", async () => {
    expect(await up()).toEqual({ ok: true });
    const before = {
        canary: await gateway("up-canary"),
        mainA: await gateway("up-main-a"),
        mainB: await gateway("up-main-b"),
    };
    expect(before.canary).toMatchObject({ image: imageIds["0.9.2"], version: "0.9.2", health: "healthy" });

    const bad = await upgrade("0.9.3-neverready");
    console.log(bad.lines.join("\n"));
    expect(bad.status).toBe(1);
    expect(bad.lines).toEqual([
        "ring canary (1 tenant): 0.9.2 -> 0.9.3-neverready",
        "ring canary did not become ready on 0.9.3-neverready:",
        // GNU wget -q prints nothing; 4 is its network failure: nothing listens on the probed port.
        "  up-canary: unhealthy (last probe exit 4)",
        expect.stringMatching(/^ {2}pulumi up: container \/zc-up-canary failed to be in healthy state/),
        "rolling ring canary back to 0.9.2",
        "ring canary is back on 0.9.2: 1 tenant ready",
        "upgrade to 0.9.3-neverready stopped at ring canary; not touched: main (0.9.2)",
    ]);
    expect(entries).toEqual(["canary", "main"]);
    const canary = await gateway("up-canary");
    // A new container on the previous image, ready again.
    expect(canary).toMatchObject({ image: imageIds["0.9.2"], version: "0.9.2", health: "healthy" });
    expect(canary.id).not.toBe(before.canary.id);
    // The main ring's containers were never replaced.
    expect(await gateway("up-main-a")).toEqual({ ...before.mainA, health: "healthy" });
    expect(await gateway("up-main-b")).toEqual({ ...before.mainB, health: "healthy" });

    const good = await upgrade("0.9.3");
    console.log(good.lines.join("\n"));
    expect(good.status).toBe(0);
    expect(good.lines[good.lines.length - 1]).toBe("upgrade to 0.9.3 done: canary, main ready on it");
    expect(entries).toEqual(["canary=0.9.3", "main=0.9.3"]);
    const after = {
        canary: await gateway("up-canary"),
        mainA: await gateway("up-main-a"),
        mainB: await gateway("up-main-b"),
    };
    for (const g of Object.values(after)) {
        expect(g).toMatchObject({ image: imageIds["0.9.3"], version: "0.9.3", health: "healthy" });
    }
    // Ring by ring: the main ring's containers were created after the canary was ready.
    expect(after.mainA.created).toBeGreaterThan(after.canary.created);
    expect(after.mainB.created).toBeGreaterThan(after.canary.created);
});
