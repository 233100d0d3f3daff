import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { shellQuote } from "../../../lib/shellQuote";
import { dockerConnection, sshWrapperScript } from "../../../lib/status/dockerConnection";
import { tempDir } from "../../support/tempDir";

const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockHostKey";

describe("dockerConnection", () => {
    test("uses unix:// and tcp:// engines as they are", () => {
        expect(dockerConnection("dev", { dockerHost: "unix:///var/run/docker.sock" })).toEqual({
            ok: true,
            connection: { kind: "direct", dockerHost: "unix:///var/run/docker.sock" },
        });
        expect(dockerConnection("dev", { dockerHost: "tcp://127.0.0.1:2376" })).toEqual({
            ok: true,
            connection: { kind: "direct", dockerHost: "tcp://127.0.0.1:2376" },
        });
    });

    test("pins an ssh:// host to the stack's knownHostsLine", () => {
        expect(
            dockerConnection("prod", {
                dockerHost: "ssh://root@198.51.100.7",
                knownHostsLine: `198.51.100.7 ${key}`,
            }),
        ).toEqual({
            ok: true,
            connection: {
                kind: "ssh",
                dockerHost: "ssh://root@198.51.100.7",
                knownHosts: `198.51.100.7 ${key}\n`,
            },
        });
        const onPort = dockerConnection("prod", {
            dockerHost: "ssh://root@198.51.100.7:2222",
            knownHostsLine: `198.51.100.7 ${key}`,
        });
        expect(onPort.ok && onPort.connection.kind === "ssh" && onPort.connection.knownHosts).toBe(
            `[198.51.100.7]:2222 ${key}\n`,
        );
    });

    test("never trusts an ssh:// host on first use", () => {
        const message = (outputs: { dockerHost: string; knownHostsLine?: string }) => {
            const plan = dockerConnection("prod", outputs);
            return plan.ok ? "connected" : plan.message;
        };
        expect(message({ dockerHost: "ssh://root@198.51.100.7" })).toMatch(
            /stack "prod" reaches its engine over SSH \(ssh:\/\/root@198\.51\.100\.7\) but has no knownHostsLine output/,
        );
        expect(message({ dockerHost: "ssh://root@198.51.100.7", knownHostsLine: "garbage" })).toMatch(
            /knownHostsLine output of stack "prod" is not a known_hosts line/,
        );
        expect(
            message({ dockerHost: "ssh://root@198.51.100.7", knownHostsLine: `203.0.113.9 ${key}` }),
        ).toMatch(
            /is for 203\.0\.113\.9, but dockerHost is ssh:\/\/root@198\.51\.100\.7; run pulumi up -s prod/,
        );
        expect(message({ dockerHost: "npipe:////./pipe/docker_engine" })).toMatch(
            /reaches unix:\/\/, tcp:\/\/ and ssh:\/\/ engines only/,
        );
    });
});

describe("sshWrapperScript", () => {
    test("runs the real ssh with the pinned options first, then the Docker CLI's arguments", () => {
        const dir = tempDir("zc-status-ssh-");
        const log = path.join(dir, "args");
        const fakeSsh = path.join(dir, "real ssh");
        fs.writeFileSync(fakeSsh, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > '${log}'\n`, {
            mode: 0o755,
        });
        const knownHosts = path.join(dir, "it's known_hosts");
        const wrapper = path.join(dir, "ssh");
        fs.writeFileSync(wrapper, sshWrapperScript(fakeSsh, knownHosts), { mode: 0o755 });
        const result = spawnSync(wrapper, [
            "-o",
            "ConnectTimeout=30",
            "-T",
            "--",
            "root@198.51.100.7",
            "docker",
            "system",
            "dial-stdio",
        ]);
        expect(result.status).toBe(0);
        expect(fs.readFileSync(log, "utf8").trim().split("\n")).toEqual([
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            `UserKnownHostsFile=${knownHosts}`,
            "-o",
            "GlobalKnownHostsFile=/dev/null",
            "-o",
            "KnownHostsCommand=none",
            "-o",
            "UpdateHostKeys=no",
            "-o",
            "ConnectTimeout=30",
            "-T",
            "--",
            "root@198.51.100.7",
            "docker",
            "system",
            "dial-stdio",
        ]);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    test("OpenSSH accepts the options, the pinned ones winning over later ones", () => {
        const ssh = spawnSync(
            "ssh",
            [
                "-G",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "UserKnownHostsFile=/tmp/pinned",
                "-o",
                "GlobalKnownHostsFile=/dev/null",
                "-o",
                "KnownHostsCommand=none",
                "-o",
                "UpdateHostKeys=no",
                "-o",
                "StrictHostKeyChecking=no",
                "198.51.100.7",
            ],
            { encoding: "utf8" },
        );
        expect(ssh.status).toBe(0);
        expect(ssh.stderr).not.toMatch(/bad configuration|unsupported|deprecated/i);
        expect(ssh.stdout).toMatch(/^stricthostkeychecking true$/m);
        expect(ssh.stdout).toMatch(/^userknownhostsfile \/tmp\/pinned$/m);
        expect(ssh.stdout).toMatch(/^globalknownhostsfile \/dev\/null$/m);
        expect(ssh.stdout).not.toMatch(/^knownhostscommand/m);
    });

    test("shellQuote survives quotes", () => {
        expect(
            spawnSync("sh", ["-c", `printf %s ${shellQuote('it\'s "$HOME"')}`], { encoding: "utf8" }).stdout,
        ).toBe(`it's "$HOME"`);
    });
});
