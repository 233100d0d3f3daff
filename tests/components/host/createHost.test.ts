import { parseStackConfig } from "../../../lib/config/stackConfig";
import { prodStack, storedConfig } from "../../support/prodStack";
import { runProgram } from "../../support/runProgram";

/** The stack's settings as the program parses them, with Pulumi.yaml's defaults. */
function settingsOf(stack: string, config: Record<string, unknown>) {
    const parsed = parseStackConfig(storedConfig(config), stack);
    if (!parsed.ok) {
        throw new Error(JSON.stringify(parsed.problems));
    }
    return parsed.config;
}

/** createHost alone, under Pulumi's mocks: the host component and what it declares. */
function hostOf(stack: string, config: Record<string, unknown>, input: Record<string, unknown> = {}) {
    const settings = settingsOf(stack, config);
    return runProgram({
        stack,
        program: (load) => {
            const host = load("components/host/createHost").createHost({
                settings,
                environment: "prod",
                backup: { kind: "none" },
                alerts: {},
                tenants: [],
                ...input,
            });
            return {
                hostName: host.hostName,
                dockerHost: host.dockerHost,
                knownHostsLine: host.knownHostsLine,
            };
        },
    });
}

describe("createHost", () => {
    test("a local host is a Docker provider to the configured engine, and nothing in a cloud", async () => {
        const run = await hostOf("dev", {
            hostKind: "local",
            hostName: "laptop",
            dockerHost: "tcp://127.0.0.1:2375",
        });
        expect(run.resources.map((r) => [r.type, r.name])).toEqual([
            ["pulumi:providers:docker", "laptop/docker"],
        ]);
        const [provider] = run.resources;
        expect(provider.inputs.host).toBe("tcp://127.0.0.1:2375");
        expect(provider.parent).toMatch(/zeptoclaw-fleet:host:LocalHost::laptop$/);
        expect(run.outputs).toEqual({ hostName: "laptop", dockerHost: "tcp://127.0.0.1:2375" });
    });

    test("a Hetzner host owns its server, firewall, data volume and engine provider, labelled with its environment", async () => {
        const run = await hostOf("prod", prodStack);
        const owned = run.resources.filter((r) =>
            r.parent.endsWith("zeptoclaw-fleet:host:HetznerHost::fsn1-a"),
        );
        expect(owned.map((r) => r.type)).toEqual(
            expect.arrayContaining([
                "hcloud:index/server:Server",
                "hcloud:index/firewall:Firewall",
                "hcloud:index/volume:Volume",
                "pulumi:providers:docker",
            ]),
        );
        const server = run.one("hcloud:index/server:Server", "fsn1-a/server");
        expect(server.inputs).toMatchObject({
            serverType: "cx32",
            location: "fsn1",
            image: "debian-12",
            labels: { "zeptoclaw-fleet": "true", "zeptoclaw-env": "prod" },
        });
        expect(run.outputs.knownHostsLine).toMatch(/^198\.51\.100\.7 ssh-ed25519 /);
    });

    test("a Hetzner host without backups or alerts says so, naming the stack file and keys", async () => {
        const run = await hostOf("prod", prodStack);
        expect(run.byType("hcloud:index/storageBox:StorageBox")).toEqual([]);
        expect(run.logs).toContainEqual(
            expect.stringMatching(
                /Pulumi\.prod\.yaml: zeptoclaw-fleet:backupTarget is "none": tenant data is not backed up/,
            ),
        );
        expect(run.logs).toContainEqual(
            expect.stringMatching(/Pulumi\.prod\.yaml: no alert channel .*nobody is told/),
        );
    });

    test("a Storage Box backup is declared for the host, under the host's labels, and nothing is warned", async () => {
        const run = await hostOf("prod", prodStack, {
            backup: {
                kind: "storagebox",
                storageBoxType: "bx11",
                storageBoxPassword: "box-password-0123456789",
                password: "restic-password-0123456789",
                retention: { daily: 7, weekly: 4, monthly: 6 },
                schedule: "*-*-* 03:00:00",
            },
        });
        const box = run.one("hcloud:index/storageBox:StorageBox", "fsn1-a/backups/box");
        expect(box.inputs.labels).toEqual({ "zeptoclaw-fleet": "true", "zeptoclaw-env": "prod" });
        expect(run.logs).not.toContainEqual(expect.stringMatching(/not backed up/));
    });
});
