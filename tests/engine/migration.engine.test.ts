import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { runProgram } from "../support/runProgram";
import { runnableSecretsFor, runnableSettings, tenantYaml } from "../support/tenantFiles";
import { EngineAdapter, removeLabelled, testLabel } from "./support/engineAdapter";
import { execIn } from "./support/engineHelpers";

jest.setTimeout(10 * 60_000);

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const adapter = new EngineAdapter(docker, `migration-${process.pid}`);
const configRoot = fs.mkdtempSync(path.join(os.tmpdir(), "zc-migration-"));
const tenants = ["mig-a", "mig-b"];
const composeVolume = (name: string) => `zeptoclaw_${name}-data`;

/** The seed's deployment: compose-named volumes holding data, containers named zc-<tenant>. */
async function deploySeed(image: string): Promise<void> {
    for (const name of tenants) {
        await docker.createVolume({
            Name: composeVolume(name),
            Labels: {
                [testLabel]: "seed",
                "com.docker.compose.project": "zeptoclaw",
                "com.docker.compose.volume": `${name}-data`,
            },
        });
        const container = await docker.createContainer({
            name: `zc-${name}`,
            Image: image,
            // Through the upstream entrypoint as root: chown -R to the image's user, then gosu.
            Cmd: [
                "sh",
                "-c",
                `mkdir -p /data/.zeptoclaw/state /data/workspace && echo "notes of ${name}" > /data/workspace/notes.txt && echo seed-boot > /data/.zeptoclaw/state/boots && sleep 3600`,
            ],
            Labels: {
                [testLabel]: "seed",
                "com.docker.compose.project": "zeptoclaw",
                "com.docker.compose.service": `tenant-${name}`,
            },
            HostConfig: {
                Mounts: [{ Type: "volume", Source: composeVolume(name), Target: "/data" }],
                RestartPolicy: { Name: "unless-stopped" },
            },
        });
        await container.start();
    }
    // Let the seed tenants write their data.
    await new Promise((r) => setTimeout(r, 2000));
}

beforeAll(async () => {
    await removeLabelled(docker);
});

afterAll(async () => {
    await removeLabelled(docker);
    fs.rmSync(configRoot, { recursive: true, force: true });
});

test("a seed deployment migrates with every tenant healthy on its old data", async () => {
    const program = () =>
        runProgram({
            tenantFiles: Object.fromEntries(
                tenants.map((n) => [
                    `${n}.yaml`,
                    tenantYaml(n, {
                        stacks: ["dev"],
                        volume: composeVolume(n),
                        zeptoclaw: runnableSettings(),
                    }),
                ]),
            ),
            tenantSecrets: runnableSecretsFor(tenants),
            config: { configRoot, imageSource: "build", imageContext: "tests/fixtures/zeptoclaw-standin" },
        });
    // Build the image first (the seed ran the same upstream image).
    const run = await program();
    await adapter.apply({
        ...run,
        resources: run.resources.filter((r) => r.type === "docker:index/image:Image"),
    });
    const image = (await docker.getImage("zeptoclaw-fleet/zeptoclaw:0.9.2").inspect()).Id;
    await deploySeed(image);
    for (const name of tenants) {
        const seeded = await execIn(docker, `zc-${name}`, ["stat", "-c", "%U", "/data/workspace/notes.txt"]);
        expect(seeded.output.trim()).toBe("zeptoclaw");
    }

    // docs/migration.md, step 3: stop and remove the compose containers, keeping their volumes
    // (`docker compose -f docker-compose.multi-tenant.yml down`, without -v).
    for (const name of tenants) {
        await docker.getContainer(`zc-${name}`).remove({ force: true });
    }
    // Step 4: pulumi up, with each tenant file naming its compose volume.
    await adapter.apply(run);

    for (const name of tenants) {
        const info = await docker.getContainer(`zc-${name}`).inspect();
        expect(info.State.Health?.Status).toBe("healthy");
        expect(info.Mounts.find((m) => m.Destination === "/data")?.Name).toBe(composeVolume(name));
        const uid = info.Config.User.split(":")[0];
        const notes = await execIn(
            docker,
            `zc-${name}`,
            ["cat", "/data/workspace/notes.txt"],
            `${uid}:${uid}`,
        );
        expect(notes.output.trim()).toBe(`notes of ${name}`);
        const owner = await execIn(docker, `zc-${name}`, ["stat", "-c", "%u", "/data/workspace/notes.txt"]);
        expect(owner.output.trim()).toBe(uid);
        const boots = await execIn(docker, `zc-${name}`, ["cat", "/data/.zeptoclaw/state/boots"]);
        expect(boots.output.split("\n")[0]).toBe("seed-boot");
    }
    // No second, empty volume was made beside the adopted one.
    const names = ((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name);
    for (const name of tenants) {
        expect(names).not.toContain(`${name}-data`);
    }
});
