import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { renderConfigureScript } from "../../lib/host/configureHost";
import { hostPaths, renderHostFiles } from "../../lib/host/hostFiles";
import { removeLabelled, testLabel } from "./support/engineAdapter";
import { execIn } from "./support/engineHelpers";

jest.setTimeout(5 * 60_000);

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const runId = `configure-${process.pid}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "zc-configure-"));
const name = `zc-test-configure-${process.pid}`;
const keyA = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAlice alice@example.com";
const keyB = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBob bob@example.com";

/**
 * A stand-in host: the suite's Debian image, with the real sshd (and the /run/sshd systemd would
 * give it), so `sshd -t` really checks the drop-in, and a `systemctl` that records what it is
 * asked to do instead of doing it.
 */
beforeAll(async () => {
    await removeLabelled(docker);
    fs.writeFileSync(
        path.join(work, "systemctl"),
        '#!/bin/sh\necho "systemctl $*" >> /work/systemctl.log\n[ "$1" != is-enabled ]\n',
        { mode: 0o755 },
    );
    const container = await docker.createContainer({
        name,
        Image: "zeptoclaw-fleet/debian-base:bookworm",
        Labels: { [testLabel]: runId },
        Cmd: ["sleep", "infinity"],
        HostConfig: { Binds: [`${work}:/work`], NetworkMode: "none" },
    });
    await container.start();
    const setup = await execIn(docker, name, [
        "sh",
        "-c",
        "cp /work/systemctl /usr/local/bin/systemctl && mkdir -p /run/sshd",
    ]);
    expect(setup.code).toBe(0);
});

afterAll(async () => {
    await removeLabelled(docker, runId);
    fs.rmSync(work, { recursive: true, force: true });
});

/** Runs one configure script on the stand-in host; returns its output and what it asked systemd. */
async function configure(keys: string[]): Promise<{ output: string; systemd: string[] }> {
    fs.writeFileSync(
        path.join(work, "configure.sh"),
        renderConfigureScript({
            files: renderHostFiles({ sshPublicKeys: keys, dataVolume: true }),
            backup: false,
        }),
    );
    fs.rmSync(path.join(work, "systemctl.log"), { force: true });
    const result = await execIn(docker, name, ["bash", "/work/configure.sh"]);
    expect(result).toMatchObject({ code: 0 });
    const log = path.join(work, "systemctl.log");
    const systemd = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
    return { output: result.output, systemd };
}

test("the configure step applies the host files to a running host, idempotently, and restarts only what changed", async () => {
    const first = await configure([keyA]);
    const fileCount = renderHostFiles({ sshPublicKeys: [keyA], dataVolume: true }).length;
    expect(first.output).toContain(`configured: ${fileCount} changed file(s)`);
    expect(first.systemd).toEqual([
        "systemctl daemon-reload",
        "systemctl restart docker.service",
        "systemctl reload ssh.service",
        "systemctl restart zeptoclaw-fleet-firewall.service",
        "systemctl restart zeptoclaw-fleet-pids-limit.service",
        "systemctl enable --now zeptoclaw-fleet-firewall.service zeptoclaw-fleet-pids-limit.service zeptoclaw-fleet-watchdog.timer",
        "systemctl is-enabled --quiet zeptoclaw-fleet-backup.timer",
        // No alert channel: the alert timer is only checked, to be turned off if it was on.
        "systemctl is-enabled --quiet zeptoclaw-fleet-alerts.timer",
    ]);
    const modes = await execIn(docker, name, [
        "stat",
        "-c",
        "%a %U %n",
        hostPaths.authorizedKeys,
        hostPaths.daemonConfig,
        hostPaths.watchdogScript,
    ]);
    expect(modes.output.trim().split("\n")).toEqual([
        "600 root /root/.ssh/authorized_keys",
        "644 root /etc/docker/daemon.json",
        "755 root /usr/local/sbin/zeptoclaw-fleet-watchdog",
    ]);

    // The same up again: nothing is rewritten, nothing restarted.
    const again = await configure([keyA]);
    expect(again.output).toMatch(/configured: 0 changed file\(s\)$/m);
    expect(again.systemd).toEqual([
        "systemctl enable --now zeptoclaw-fleet-firewall.service zeptoclaw-fleet-pids-limit.service zeptoclaw-fleet-watchdog.timer",
        "systemctl is-enabled --quiet zeptoclaw-fleet-backup.timer",
        // No alert channel: the alert timer is only checked, to be turned off if it was on.
        "systemctl is-enabled --quiet zeptoclaw-fleet-alerts.timer",
    ]);

    // Key rotation: only authorized_keys changes; Docker and sshd keep running.
    const rotated = await configure([keyB]);
    expect(rotated.output).toMatch(/configured: 1 changed file\(s\): \/root\/\.ssh\/authorized_keys$/m);
    expect(rotated.systemd).not.toContain("systemctl restart docker.service");
    expect(rotated.systemd).not.toContain("systemctl reload ssh.service");
    const keys = await execIn(docker, name, ["cat", hostPaths.authorizedKeys]);
    expect(keys.output).toBe(`${keyB}\n`);
});
