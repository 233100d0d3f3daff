import { decodeConfigureFiles } from "../support/configureFiles";
import { prodBackupSecrets, prodStack } from "../support/prodStack";
import { DeclaredResource, runProgram } from "../support/runProgram";
import { fleet } from "../support/tenantFiles";

const keyA =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa alice@example.com";
const keyB =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb bob@example.com";

function prod(
    keys: string[] = [keyA, keyB],
    extra: Record<string, unknown> = {},
    tenants: ReadonlyArray<string> = ["shop-a", "shop-b"],
) {
    return runProgram({
        stack: "prod",
        ...fleet(tenants),
        config: { ...prodStack, sshPublicKeys: keys, ...extra },
    });
}

describe("prod stack on Hetzner", () => {
    let run: Awaited<ReturnType<typeof prod>>;
    beforeAll(async () => {
        run = await prod();
    });

    const server = () => run.one("hcloud:index/server:Server", "fsn1-a/server");

    test("a firewall opens SSH only, from the configured CIDRs, and is attached at creation", () => {
        const firewall = run.one("hcloud:index/firewall:Firewall", "fsn1-a/firewall");
        expect(firewall.inputs.rules).toEqual([
            {
                direction: "in",
                protocol: "tcp",
                port: "22",
                sourceIps: ["203.0.113.0/24"],
                description: "SSH",
            },
        ]);
        expect(server().inputs.firewallIds).toEqual([expect.any(Number)]);
        expect(server().options.dependencies).toContain(firewall.urn);
    });

    test("the server takes type, location and image from config, and is protected", () => {
        expect(server().inputs).toMatchObject({
            name: "fsn1-a",
            serverType: "cx32",
            location: "fsn1",
            image: "debian-12",
            deleteProtection: true,
            rebuildProtection: true,
        });
    });

    test("editing cloud-init or the SSH keys never replaces the server", () => {
        expect(server().options.ignoreChanges.sort()).toEqual(["sshKeys", "userData"]);
    });

    test("cloud-init installs Docker and carries the host key, as a secret", () => {
        const raw = server().rawInputs.userData;
        expect(JSON.stringify(raw)).toMatch(/1b47061264138c4ac30d75fd1eb44270/);
        expect(server().inputs.userData).toMatch(/^#cloud-config/);
        expect(server().inputs.userData).toMatch(/docker\.io/);
        expect(server().inputs.userData).toMatch(/MOCKHOSTKEYPRIVATE/);
    });

    test("SSH keys are named by fingerprint: removing one leaves the other untouched", async () => {
        const names = (r: { byType(t: string): DeclaredResource[] }) =>
            r.byType("hcloud:index/sshKey:SshKey").map((k) => `${k.name}=${k.inputs.publicKey}`);
        const both = names(run);
        const onlyB = names(await prod([keyB]));
        expect(both).toHaveLength(2);
        expect(onlyB).toHaveLength(1);
        expect(both).toContain(onlyB[0]);
    });

    test("Docker is reached over SSH with a verified host key, only after cloud-init and the configure step", () => {
        const ready = run.one("command:remote:Command", "fsn1-a/ready");
        expect(ready.inputs.connection).toMatchObject({
            host: "198.51.100.7",
            user: "root",
            hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockHostKey",
        });
        expect(ready.inputs.create).toMatch(/cloud-init status --wait/);
        const provider = run.one("pulumi:providers:docker", "fsn1-a/docker");
        expect(provider.inputs.host).toBe("ssh://root@198.51.100.7");
        const sshOpts = JSON.parse(provider.inputs.sshOpts as string) as string[];
        expect(sshOpts).toContain("StrictHostKeyChecking=yes");
        expect(sshOpts).toContain(
            "KnownHostsCommand=/bin/echo 198.51.100.7 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockHostKey",
        );
        const configure = run.one("command:remote:Command", "fsn1-a/configure");
        expect(configure.options.dependencies).toContain(ready.urn);
        expect(provider.options.dependencies).toContain(configure.urn);
    });

    test("tenants run on the server's engine", () => {
        expect(run.one("docker:index/container:Container", "shop-a/gateway").provider).toMatch(
            /pulumi:providers:docker::fsn1-a\/docker::/,
        );
    });

    test("each tenant runs in its own slice, whose process limit the configure step writes, under AppArmor", () => {
        const configure = run.one("command:remote:Command", "fsn1-a/configure");
        const files = decodeConfigureFiles(configure.inputs.stdin as string);
        for (const [tenant, slice] of [
            ["shop-a", "zcfleet-shop_a.slice"],
            ["shop-b", "zcfleet-shop_b.slice"],
        ]) {
            const gateway = run.one("docker:index/container:Container", `${tenant}/gateway`).inputs;
            expect(gateway.cgroupParent).toBe(slice);
            expect(gateway.securityOpts).toEqual(["no-new-privileges:true", "apparmor=docker-default"]);
            expect(files[`/etc/systemd/system/${slice}`]).toMatch(/^\[Slice\]\nTasksMax=256$/m);
        }
    });

    test("without an alert channel the host gets no alert timer, and the preview says nobody is told", () => {
        const files = decodeConfigureFiles(
            run.one("command:remote:Command", "fsn1-a/configure").inputs.stdin as string,
        );
        expect(Object.keys(files)).not.toContain("/etc/zeptoclaw-fleet/alerts.env");
        expect(run.logs).toContainEqual(expect.stringMatching(/no alert channel .*: nobody is told/));
    });

    test("with alert channels, the host gets the alert script, its timer and its secret settings, thresholds from config", async () => {
        const alerting = await runProgram({
            stack: "prod",
            ...fleet(["shop-a", "shop-b"]),
            config: { ...prodStack, backupTarget: "storagebox", alertDiskQuotaPercent: 80 },
            secretConfig: {
                ...prodBackupSecrets,
                alertWebhookUrl: "https://hooks.example.com/T0KEN",
                alertTelegramBotToken: "123456:AAH-token",
                alertTelegramChatId: "-100123",
            },
        });
        const configure = alerting.one("command:remote:Command", "fsn1-a/configure").inputs.stdin as string;
        const files = decodeConfigureFiles(configure);
        const env = files["/etc/zeptoclaw-fleet/alerts.env"];
        expect(env).toContain("ALERT_WEBHOOK_URL='https://hooks.example.com/T0KEN'");
        expect(env).toContain("ALERT_TELEGRAM_CHAT_ID='-100123'");
        expect(env).toContain("ALERT_QUOTA_PERCENT='80'");
        expect(env).toContain("ALERT_BACKUP_MAX_AGE_HOURS='26'");
        expect(env).toMatch(/^ALERT_TENANT_UIDS='shop-a:\d+ shop-b:\d+'$/m);
        expect(configure).toContain("put /etc/zeptoclaw-fleet/alerts.env 0600 ");
        expect(files["/usr/local/sbin/zeptoclaw-fleet-alerts"]).toMatch(/^#!\/bin\/bash\n/);
        expect(configure).toMatch(/^systemctl enable --now .* zeptoclaw-fleet-alerts\.timer$/m);
        expect(alerting.logs).not.toContainEqual(expect.stringMatching(/no alert channel/));
    });

    test("outputs give the host IP and the commands to reach it", () => {
        expect(run.outputs).toMatchObject({
            hostName: "fsn1-a",
            hostAddress: "198.51.100.7",
            sshCommand: "ssh root@198.51.100.7",
            knownHostsLine: "198.51.100.7 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockHostKey",
            dockerHostCommand: "export DOCKER_HOST=ssh://root@198.51.100.7",
            tenants: { "shop-a": { container: "zc-shop-a", volume: "shop-a-data" } },
        });
    });

    test("resource names derive from the host and tenant names, never from list positions", async () => {
        // shop-0 sorts first, so every other tenant and SSH key moves one place down its list.
        const shifted = await prod([keyB, keyA], {}, ["shop-0", "shop-a", "shop-b"]);
        const before = new Map(run.resources.map((r) => [r.name, r]));
        const after = new Map(shifted.resources.map((r) => [r.name, r]));
        for (const [name, resource] of before) {
            expect(after.has(name) ? name : `${name} is gone`).toBe(name);
            if (name.startsWith("shop-")) {
                expect(after.get(name)?.inputs).toEqual(resource.inputs);
            }
        }
        const added = [...after.keys()].filter((name) => !before.has(name));
        expect(added.sort()).toEqual(["shop-0/data", "shop-0/data-owner", "shop-0/gateway"]);
    });
});
