import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { alertsPaths } from "../../../lib/host/alerts";
import { backupPaths, renderBackupEnv, renderBackupScript } from "../../../lib/host/backup";
import { renderCloudInit } from "../../../lib/host/cloudInit";
import { renderConfigureScript } from "../../../lib/host/configureHost";
import { dataVolumeDevice } from "../../../lib/host/dataVolume";
import { hostPaths, renderHostFiles } from "../../../lib/host/hostFiles";
import { shellcheck } from "../../support/shellcheck";
import { tempDir } from "../../support/tempDir";

const keys = ["ssh-ed25519 AAAAC3Nza-alice alice@example.com", "ssh-ed25519 AAAAC3Nza-bob bob@example.com"];
const backup = {
    env: renderBackupEnv({
        target: {
            kind: "sftp",
            user: "u1",
            host: "u1.example",
            port: 23,
            path: "fleet/a",
            hostKeyChecking: "accept-new",
        },
        hostName: "fsn1-a",
        retention: { daily: 7, weekly: 4, monthly: 6 },
    }),
    password: "correct horse battery staple",
    sshPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nK\n-----END OPENSSH PRIVATE KEY-----\n",
    schedule: "*-*-* 03:00:00",
};

describe("host files", () => {
    test("root's authorized_keys is exactly the configured keys, so removing a key revokes it", () => {
        const files = renderHostFiles({ sshPublicKeys: keys, dataVolume: true });
        const authorized = files.find((f) => f.path === hostPaths.authorizedKeys);
        expect(authorized).toEqual({
            path: "/root/.ssh/authorized_keys",
            mode: "0600",
            content: `${keys.join("\n")}\n`,
        });
    });

    test("Docker is pinned to Debian's archive and security upgrades are unattended", () => {
        const files = renderHostFiles({ sshPublicKeys: keys, dataVolume: true });
        expect(files.find((f) => f.path === hostPaths.aptDockerPin)?.content).toMatch(
            /^Package: docker\.io containerd runc\nPin: release o=Debian\nPin-Priority: 1000\n$/,
        );
        expect(files.find((f) => f.path === hostPaths.autoUpgrades)?.content).toMatch(
            /Unattended-Upgrade "1"/,
        );
        const cloudInit = parse(
            renderCloudInit({
                hostKeyPrivateOpenssh: "k",
                hostKeyPublicOpenssh: "ssh-ed25519 A",
                dockerPackageVersion: "20.10.24+dfsg1-1+deb12u1+b6",
            }),
        ) as { packages: unknown[] };
        expect(cloudInit.packages).toEqual([
            ["docker.io", "20.10.24+dfsg1-1+deb12u1+b6"],
            "restic",
            "jq",
            "xfsprogs",
            "unattended-upgrades",
            "curl",
        ]);
    });

    test("Docker waits for the data Volume; backup files come only with backups, secrets 0600", () => {
        const without = renderHostFiles({ sshPublicKeys: keys, dataVolume: true });
        expect(without.map((f) => f.path)).not.toContain(backupPaths.env);
        expect(without.find((f) => f.path === hostPaths.dockerDropIn)?.content).toBe(
            "[Unit]\nRequiresMountsFor=/var/lib/docker/volumes\n",
        );
        const withBackup = renderHostFiles({ sshPublicKeys: keys, dataVolume: true, backup });
        const byPath = new Map(withBackup.map((f) => [f.path, f]));
        for (const secret of [backupPaths.env, backupPaths.passwordFile, backupPaths.sshKey]) {
            expect(byPath.get(secret)?.mode).toBe("0600");
        }
        expect(byPath.get(backupPaths.passwordFile)?.content).toBe("correct horse battery staple\n");
        expect(byPath.get(`/etc/systemd/system/${backupPaths.timer}`)?.content).toMatch(
            /OnCalendar=\*-\*-\* 03:00:00\n[\s\S]*Persistent=true/,
        );
    });

    test("alert files come only with alerts, their settings root-only; the configure step turns the timer on or off", () => {
        const without = renderHostFiles({ sshPublicKeys: keys, dataVolume: true });
        expect(without.map((f) => f.path)).not.toContain(alertsPaths.env);
        expect(renderConfigureScript({ files: without, backup: false })).toMatch(
            /if systemctl is-enabled --quiet zeptoclaw-fleet-alerts\.timer 2>\/dev\/null; then\n\s+systemctl disable --now zeptoclaw-fleet-alerts\.timer\n/,
        );
        const files = renderHostFiles({
            sshPublicKeys: keys,
            dataVolume: true,
            alertsEnv: "ALERT_HOST='fsn1-a'\n",
        });
        const byPath = new Map(files.map((f) => [f.path, f]));
        expect(byPath.get(alertsPaths.env)).toEqual({
            path: "/etc/zeptoclaw-fleet/alerts.env",
            mode: "0600",
            content: "ALERT_HOST='fsn1-a'\n",
        });
        expect(byPath.get(alertsPaths.script)?.mode).toBe("0755");
        expect(byPath.get(`/etc/systemd/system/${alertsPaths.timer}`)?.content).toMatch(
            /OnUnitActiveSec=1min/,
        );
        const script = renderConfigureScript({ files, backup: false, alerts: true });
        expect(script).toMatch(
            /^systemctl enable --now zeptoclaw-fleet-firewall\.service zeptoclaw-fleet-pids-limit\.service zeptoclaw-fleet-watchdog\.timer zeptoclaw-fleet-alerts\.timer$/m,
        );
        expect(script).toMatch(
            /^command -v curl >\/dev\/null \|\| \{ apt-get update -q && .*apt-get install -y -q curl; \}$/m,
        );
        expect(script).not.toMatch(/disable --now zeptoclaw-fleet-alerts/);
        shellcheck(script);
    });

    test("the backup settings quote every value for the shell that sources them", () => {
        const env = renderBackupEnv({
            target: { kind: "s3", repository: "s3:https://fsn1.example.com/bucket/fleet" },
            hostName: "fsn1-a",
            retention: { daily: 7, weekly: 4, monthly: 6 },
            s3Credentials: { accessKeyId: "AKIA", secretAccessKey: "it's$(reboot)" },
        });
        const dir = tempDir("zc-env-");
        fs.writeFileSync(path.join(dir, "env"), env);
        const echoed = execFileSync(
            "bash",
            ["-c", `. ${dir}/env && printf %s "$AWS_SECRET_ACCESS_KEY|$RESTIC_REPOSITORY|$KEEP_DAILY"`],
            {
                encoding: "utf8",
            },
        );
        expect(echoed).toBe("it's$(reboot)|s3:https://fsn1.example.com/bucket/fleet|7");
    });

    test("the backup script and the configure script pass shellcheck", () => {
        shellcheck(renderBackupScript());
        const files = renderHostFiles({ sshPublicKeys: keys, dataVolume: true, backup });
        shellcheck(renderConfigureScript({ files, dataVolumeId: 4242, backup: true, finally: "true\n" }));
        shellcheck(renderConfigureScript({ files, backup: false }));
    });

    test("the configure script mounts the Volume without ever formatting it, and reloads sshd only after sshd -t", () => {
        const files = renderHostFiles({ sshPublicKeys: keys, dataVolume: true, backup });
        const script = renderConfigureScript({ files, dataVolumeId: 4242, backup: true });
        expect(script).toContain(dataVolumeDevice(4242));
        expect(script).toContain(`line="$device $target xfs defaults,nofail,uquota`);
        expect(script).not.toMatch(/mkfs/);
        expect(script).toMatch(/sshd -t \|\| die .*\n\s+systemctl reload ssh\.service/);
        expect(script).toMatch(
            /systemctl enable --now zeptoclaw-fleet-firewall\.service zeptoclaw-fleet-pids-limit\.service zeptoclaw-fleet-watchdog\.timer zeptoclaw-fleet-backup\.timer/,
        );
        // Every file travels base64-encoded in a quoted here-document: nothing in it is expanded.
        for (const f of files) {
            expect(script).toContain(
                `put ${f.path} ${f.mode} <<'ZEPTOCLAW_FLEET_EOF'\n${Buffer.from(f.content).toString("base64")}\n`,
            );
        }
    });
});
