import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { DeclaredResource, ProgramRun, runProgram } from "../support/runProgram";
import { runnableSecretsFor, runnableSettings, tenantYaml } from "../support/tenantFiles";
import { EngineAdapter, NamedPlan, removeLabelled, testLabel } from "./support/engineAdapter";

// Real containers: the first health probe runs after the 30 s interval the program declares.
jest.setTimeout(15 * 60_000);

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const runId = `adapter-${process.pid}-${Date.now()}`;
const adapter = new EngineAdapter(docker, runId);
const configRoot = fs.mkdtempSync(path.join(os.tmpdir(), "zc-adapter-"));
const composeVolume = `zeptoclaw_ad-adopt-data-${process.pid}`;

const tenants = ["ad-int", "ad-frac", "ad-adopt", "ad-all"];

/** Integer cpus, two-decimal cpus, an adopted compose volume, and every resources field set. */
function tenantFiles(allResources: Record<string, number> = {}): Record<string, string> {
    const file = (name: string, extra: Record<string, unknown>) =>
        tenantYaml(name, { stacks: ["dev"], zeptoclaw: runnableSettings(), ...extra });
    return {
        "ad-int.yaml": file("ad-int", { resources: { cpus: 1 } }),
        "ad-frac.yaml": file("ad-frac", { resources: { cpus: 0.35, cpuReservation: 0.15 } }),
        "ad-adopt.yaml": file("ad-adopt", { volume: composeVolume }),
        "ad-all.yaml": file("ad-all", {
            resources: {
                memoryMb: 160,
                memoryReservationMb: 48,
                cpus: 2,
                cpuReservation: 0.5,
                pids: 300,
                diskMb: 512,
                ...allResources,
            },
        }),
    };
}

function program(files: Record<string, string> = tenantFiles()): Promise<ProgramRun> {
    return runProgram({
        stack: "dev",
        tenantFiles: files,
        tenantSecrets: runnableSecretsFor(tenants),
        config: {
            environment: "engine-test",
            hostMemoryMb: 16384,
            configRoot,
            imageSource: "build",
            imageContext: "tests/fixtures/zeptoclaw-standin",
        },
    });
}

const changes = (plans: NamedPlan[]) =>
    plans.filter((p) => p.action !== "same").map((p) => `${p.name}: ${p.action} ${p.fields.join(",")}`);

beforeAll(async () => {
    await docker.ping();
    await removeLabelled(docker);
    // The seed's compose volume, as `docker compose up` left it.
    await docker.createVolume({
        Name: composeVolume,
        Labels: {
            "com.docker.compose.project": "zeptoclaw",
            "com.docker.compose.volume": "ad-adopt-data",
            [testLabel]: runId,
        },
    });
    await adapter.apply(await program());
});

afterAll(async () => {
    await removeLabelled(docker);
    fs.rmSync(configRoot, { recursive: true, force: true });
});

describe("the deployed dev stack plans no change", () => {
    test("planned again with nothing changed: zero changes", async () => {
        expect(changes(await adapter.plan(await program()))).toEqual([]);
    });

    test("refreshed from the engine (the nightly drift check): zero changes", async () => {
        expect(changes(await adapter.plan(await program(), { refresh: true }))).toEqual([]);
    });

    test("the adopted compose volume keeps its own labels", async () => {
        const labels = (await docker.getVolume(composeVolume).inspect()).Labels;
        expect(labels["com.docker.compose.project"]).toBe("zeptoclaw");
    });
});

describe("a changed memory limit", () => {
    test("is an update in place: the same container, not restarted, with the new limit", async () => {
        const before = await docker.getContainer("zc-ad-all").inspect();
        const changed = await program(tenantFiles({ memoryMb: 192 }));
        expect(changes(await adapter.plan(changed))).toEqual(["ad-all/gateway: update memory,memorySwap"]);

        expect(await adapter.apply(changed)).toEqual(["ad-all/gateway"]);
        const after = await docker.getContainer("zc-ad-all").inspect();
        expect({ id: after.Id, startedAt: after.State.StartedAt, restarts: after.RestartCount }).toEqual({
            id: before.Id,
            startedAt: before.State.StartedAt,
            restarts: 0,
        });
        expect(after.HostConfig.Memory).toBe(192 * 1024 * 1024);
        expect(after.HostConfig.MemorySwap).toBe(192 * 1024 * 1024);
        expect(changes(await adapter.plan(changed, { refresh: true }))).toEqual([]);
    });
});

describe("a changed cpus limit", () => {
    test("replaces the container under the same name, the old one deleted first", async () => {
        const before = await docker.getContainer("zc-ad-int").inspect();
        const run = await program({
            ...tenantFiles({ memoryMb: 192 }),
            "ad-int.yaml": tenantYaml("ad-int", {
                stacks: ["dev"],
                zeptoclaw: runnableSettings(),
                resources: { cpus: 1.5 },
            }),
        });
        expect(changes(await adapter.plan(run))).toEqual(["ad-int/gateway: replace cpus"]);
        await adapter.apply(run);
        const after = await docker.getContainer("zc-ad-int").inspect();
        expect(after.Id).not.toBe(before.Id);
        expect(after.HostConfig.NanoCpus).toBe(1.5e9);
        expect(after.State.Health?.Status).toBe("healthy");
    });
});

/** A resource declared by hand, with the options the program leaves at their defaults. */
function declared(type: string, name: string, inputs: Record<string, unknown>, state = {}): DeclaredResource {
    return {
        type,
        name,
        urn: `urn:pulumi:dev::zeptoclaw-fleet::${type}::${name}`,
        inputs,
        rawInputs: {},
        state,
        provider: "",
        parent: "",
        options: {
            version: "",
            deleteBeforeReplace: false,
            retainOnDelete: false,
            protect: false,
            ignoreChanges: [],
            replaceOnChanges: [],
            dependencies: [],
        },
    };
}

/** A program of hand-declared resources: what the wait and image tests need and nothing else. */
function handMade(resources: DeclaredResource[]): ProgramRun {
    return {
        resources,
        components: [],
        ancestors: () => [],
        outputs: {},
        rawOutputs: {},
        logs: [],
        byType: (type) => resources.filter((r) => r.type === type),
        one: (type, name) => resources.find((r) => r.type === type && r.name === name)!,
    };
}

function oneContainer(inputs: Record<string, unknown>, image: string): ProgramRun {
    return handMade([
        declared("docker:index/container:Container", String(inputs.name), { image, ...inputs }),
    ]);
}

describe("RemoteImage, the published image", () => {
    test("is used under its published reference, pulled otherwise, and kept locally when the program drops it", async () => {
        const images = new EngineAdapter(docker, runId);
        const reference = `zeptoclaw-fleet-test/published-${process.pid}:0.9.2`;
        const mockId = `sha256:${"e".repeat(64)}`;
        const name = `ad-published-${process.pid}`;
        const run = handMade([
            declared(
                "docker:index/remoteImage:RemoteImage",
                "published",
                { name: reference, keepLocally: true },
                { imageId: mockId },
            ),
            declared("docker:index/container:Container", name, {
                name,
                image: mockId,
                entrypoints: ["sleep", "600"],
            }),
        ]);
        run.resources[1].options.dependencies = [run.resources[0].urn];
        await expect(images.apply(run)).rejects.toThrow(/cannot pull/);

        const standIn = (await docker.getContainer("zc-ad-frac").inspect()).Image;
        const [repo, tag] = reference.split(":");
        await docker.getImage(standIn).tag({ repo, tag });
        try {
            await images.apply(run);
            expect((await docker.getContainer(name).inspect()).Image).toBe(standIn);
            expect(changes(await images.plan(run, { refresh: true }))).toEqual([]);

            await images.apply(handMade([]));
            await expect(docker.getContainer(name).inspect()).rejects.toThrow();
            expect((await docker.getImage(reference).inspect()).Id).toBe(standIn);
        } finally {
            await docker.getImage(reference).remove({ noprune: true });
        }
    });
});

describe("a container the program does not ask to replace delete-first", () => {
    test("is still replaced delete-first under its fixed name, as the bridge replaces every container", async () => {
        const sameName = new EngineAdapter(docker, runId);
        const image = (await docker.getContainer("zc-ad-frac").inspect()).Image;
        const name = `ad-same-name-${process.pid}`;
        await sameName.apply(oneContainer({ name, entrypoints: ["sleep", "600"], envs: ["A=1"] }, image));
        const before = (await docker.getContainer(name).inspect()).Id;
        const changed = oneContainer({ name, entrypoints: ["sleep", "600"], envs: ["A=2"] }, image);
        expect(changes(await sameName.plan(changed))).toEqual([`${name}: replace envs`]);
        await sameName.apply(changed);
        const after = await docker.getContainer(name).inspect();
        expect(after.Id).not.toBe(before);
        expect(after.Config.Env).toContain("A=2");
    });
});

describe("wait, as the provider waits", () => {
    const waitAdapter = new EngineAdapter(docker, runId);
    let image: string;
    beforeAll(async () => {
        image = (await docker.getContainer("zc-ad-frac").inspect()).Image;
    });

    test("wait without a healthcheck fails, and leaves the container", async () => {
        const run = oneContainer(
            { name: `ad-nohealth-${process.pid}`, entrypoints: ["sleep", "600"], wait: true },
            image,
        );
        await expect(waitAdapter.apply(run)).rejects.toThrow(/does not have a healthcheck defined/);
        expect((await docker.getContainer(`ad-nohealth-${process.pid}`).inspect()).State.Running).toBe(true);
    });

    test("a failed wait is recorded: the next run updates the container without waiting and succeeds", async () => {
        const name = `ad-unhealthy-${process.pid}`;
        const run = oneContainer(
            {
                name,
                entrypoints: ["sleep", "600"],
                healthcheck: { tests: ["CMD", "false"], interval: "1s", timeout: "1s", retries: 1 },
                wait: true,
                waitTimeout: 3,
            },
            image,
        );
        await expect(waitAdapter.apply(run)).rejects.toThrow(/failed to be in healthy state/);
        const id = (await docker.getContainer(name).inspect()).Id;
        expect(await waitAdapter.apply(run)).toEqual([name]);
        const after = await docker.getContainer(name).inspect();
        expect({ id: after.Id, health: after.State.Health?.Status }).toEqual({ id, health: "unhealthy" });
        expect(changes(await waitAdapter.plan(run))).toEqual([]);
    });
});
