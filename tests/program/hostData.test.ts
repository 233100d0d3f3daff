import { createHash } from "node:crypto";
import { decodeConfigureFiles } from "../support/configureFiles";
import { prodBackupSecrets, prodStack } from "../support/prodStack";
import { DeclaredResource, ProgramRun, runProgram } from "../support/runProgram";
import { fleet } from "../support/tenantFiles";

const prodConfig = {
    ...prodStack,
    backupTarget: "storagebox",
    backupSchedule: "*-*-* 04:30:00",
    backupKeepDaily: 3,
    backupKeepWeekly: 2,
    backupKeepMonthly: 12,
};

/**
 * The mock engine's ids: a Hetzner server's id changes when an input that forces a new server
 * changes (image, location), as the provider does; every other resource keeps its id.
 */
function providerLikeId(type: string, name: string, inputs: Record<string, any>): string {
    if (!type.startsWith("hcloud:")) {
        return `${name}-id`;
    }
    // Hetzner ids are numbers, and the program passes them on as numbers.
    const identity =
        type === "hcloud:index/server:Server" ? `${name}/${inputs.image}/${inputs.location}` : name;
    return String(parseInt(createHash("sha256").update(identity).digest("hex").slice(0, 8), 16));
}

function prod(extra: Record<string, unknown> = {}): Promise<ProgramRun> {
    return runProgram({
        stack: "prod",
        ...fleet(["shop-a", "shop-b"]),
        config: { ...prodConfig, ...extra },
        secretConfig: prodBackupSecrets,
        mockId: providerLikeId,
    });
}

const key = (r: DeclaredResource) => `${r.type}::${r.name}`;

describe("tenant data outlives the server", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await prod();
    });

    test("the data Volume and the IPv4 are protected in Hetzner and in Pulumi, and kept if removed", () => {
        const volume = run.one("hcloud:index/volume:Volume", "fsn1-a/data");
        expect(volume.inputs).toMatchObject({
            size: 20,
            location: "fsn1",
            format: "xfs",
            deleteProtection: true,
        });
        const ipv4 = run.one("hcloud:index/primaryIp:PrimaryIp", "fsn1-a/ipv4");
        expect(ipv4.inputs).toMatchObject({ type: "ipv4", autoDelete: false, deleteProtection: true });
        for (const r of [volume, ipv4]) {
            expect(r.options).toMatchObject({ protect: true, retainOnDelete: true });
        }
        expect(run.one("hcloud:index/server:Server", "fsn1-a/server").inputs.publicNets).toEqual([
            { ipv4Enabled: true, ipv4: expect.any(Number), ipv6Enabled: true },
        ]);
        expect(run.one("hcloud:index/firewall:Firewall", "fsn1-a/firewall").options.protect).toBe(true);
        expect(run.one("hcloud:index/server:Server", "fsn1-a/server").options).toMatchObject({
            protect: false,
            deleteBeforeReplace: true,
        });
    });

    test("the Storage Box holding the backups is protected, with a key of its own", () => {
        const box = run.one("hcloud:index/storageBox:StorageBox", "fsn1-a/backups/box");
        expect(box.inputs).toMatchObject({
            name: "fsn1-a-backups",
            storageBoxType: "bx11",
            location: "fsn1",
            deleteProtection: true,
            sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockHostKey"],
            accessSettings: { sshEnabled: true, reachableExternally: false },
        });
        expect(box.options).toMatchObject({ protect: true, retainOnDelete: true });
    });

    test("the configure step writes the backup settings and keys, all inside the secret stdin", () => {
        const configure = run.one("command:remote:Command", "fsn1-a/configure");
        expect(configure.inputs.create).toBe("bash -s");
        expect(JSON.stringify(configure.rawInputs.stdin)).toMatch(/1b47061264138c4ac30d75fd1eb44270/);
        const files = decodeConfigureFiles(configure.inputs.stdin as string);
        expect(files["/etc/zeptoclaw-fleet/backup.env"]).toContain(
            "RESTIC_REPOSITORY='sftp:u123456@u123456.your-storagebox.de:zeptoclaw-fleet/fsn1-a'",
        );
        // Schedule and retention come from the stack config.
        for (const line of ["KEEP_DAILY='3'", "KEEP_WEEKLY='2'", "KEEP_MONTHLY='12'"]) {
            expect(files["/etc/zeptoclaw-fleet/backup.env"]).toContain(line);
        }
        expect(files["/etc/systemd/system/zeptoclaw-fleet-backup.timer"]).toContain(
            "OnCalendar=*-*-* 04:30:00\n",
        );
        expect(files["/etc/zeptoclaw-fleet/restic-password"]).toBe(`${prodBackupSecrets.backupPassword}\n`);
        expect(files["/etc/zeptoclaw-fleet/backup-ssh-key"]).toMatch(/MOCKHOSTKEYPRIVATE/);
        expect(files["/root/.ssh/authorized_keys"]).toBe(`${prodConfig.sshPublicKeys[0]}\n`);
        expect(configure.inputs.stdin).toMatch(/device=\/dev\/disk\/by-id\/scsi-0HC_Volume_\d+ /);
        // Each tenant's uid is held to its disk limit on the data Volume.
        expect(configure.inputs.stdin).toMatch(
            /sh -s <<'ZEPTOCLAW_FLEET_QUOTAS'\n[\s\S]*\/var\/lib\/docker\/volumes/,
        );
        for (const tenant of ["shop-a", "shop-b"]) {
            const uid = String(
                run.one("docker:index/container:Container", `${tenant}/gateway`).inputs.user,
            ).split(":")[0];
            expect(configure.inputs.stdin).toContain(uid);
        }
        expect(configure.options.dependencies).toContain(
            run.one("hcloud:index/volumeAttachment:VolumeAttachment", "fsn1-a/data-attachment").urn,
        );
    });

    test("a server-image change replaces the server and re-attaches the Volume; the data stays", async () => {
        const next = await prod({ serverImage: "debian-13" });
        const before = new Map(run.resources.map((r) => [key(r), r]));
        const changed = next.resources
            .filter((r) => JSON.stringify(r.inputs) !== JSON.stringify(before.get(key(r))?.inputs))
            .map(key)
            .sort();
        // What the engine would touch: the server itself (a new one: image forces it), what
        // refers to its id (the attachment, the readiness and configure commands), and the
        // tenants' healthchecks, which Docker 26 lets probe a starting tenant every half second.
        expect(changed).toEqual([
            "command:remote:Command::fsn1-a/configure",
            "command:remote:Command::fsn1-a/ready",
            "docker:index/container:Container::shop-a/gateway",
            "docker:index/container:Container::shop-b/gateway",
            "hcloud:index/server:Server::fsn1-a/server",
            "hcloud:index/volumeAttachment:VolumeAttachment::fsn1-a/data-attachment",
        ]);
        for (const gateway of ["shop-a/gateway", "shop-b/gateway"]) {
            const [was, now] = [run, next].map(
                (r) => r.one("docker:index/container:Container", gateway).inputs,
            );
            expect(now).toEqual({ ...was, healthcheck: { ...was.healthcheck, startInterval: "500ms" } });
        }
        // Untouched: the data Volume, the IPv4 (so the Docker provider's address), every tenant's
        // volume, the Storage Box.
        for (const untouched of [
            "hcloud:index/volume:Volume::fsn1-a/data",
            "hcloud:index/primaryIp:PrimaryIp::fsn1-a/ipv4",
            "pulumi:providers:docker::fsn1-a/docker",
            "docker:index/volume:Volume::shop-a/data",
            "hcloud:index/storageBox:StorageBox::fsn1-a/backups/box",
        ]) {
            expect(changed).not.toContain(untouched);
            expect(next.resources.map(key)).toContain(untouched);
        }
    });

    test("an S3 target writes its repository and credentials, inside the secret stdin, and creates no Storage Box", async () => {
        const s3 = await runProgram({
            stack: "prod",
            ...fleet(["shop-a"]),
            config: {
                ...prodConfig,
                backupTarget: "s3",
                backupS3Repository: "s3:https://fsn1.example.com/bucket/fleet",
            },
            secretConfig: {
                backupPassword: prodBackupSecrets.backupPassword,
                backupS3AccessKeyId: "s3-access-key-id-0123",
                backupS3SecretAccessKey: "s3-secret-access-key-0123456789",
            },
        });
        expect(s3.byType("hcloud:index/storageBox:StorageBox")).toEqual([]);
        const configure = s3.one("command:remote:Command", "fsn1-a/configure");
        expect(JSON.stringify(configure.rawInputs.stdin)).toMatch(/1b47061264138c4ac30d75fd1eb44270/);
        const env = decodeConfigureFiles(configure.inputs.stdin as string)["/etc/zeptoclaw-fleet/backup.env"];
        for (const line of [
            "RESTIC_REPOSITORY='s3:https://fsn1.example.com/bucket/fleet'",
            "AWS_ACCESS_KEY_ID='s3-access-key-id-0123'",
            "AWS_SECRET_ACCESS_KEY='s3-secret-access-key-0123456789'",
            "KEEP_MONTHLY='12'",
        ]) {
            expect(env).toContain(line);
        }
    });

    test("a missing or plaintext backup credential is refused, naming the key and the fix", async () => {
        await expect(runProgram({ stack: "prod", ...fleet(["shop-a"]), config: prodConfig })).rejects.toThrow(
            /Pulumi\.prod\.yaml: zeptoclaw-fleet:backupPassword: is required when backupTarget is "storagebox": pulumi config set --secret backupPassword -s prod/,
        );
        await expect(
            runProgram({
                stack: "prod",
                ...fleet(["shop-a"]),
                config: { ...prodConfig, ...prodBackupSecrets },
            }),
        ).rejects.toThrow(
            /zeptoclaw-fleet:backupStorageBoxPassword: is stored in plaintext: pulumi config rm/,
        );
    });
});
