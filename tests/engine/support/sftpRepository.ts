import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import Docker from "dockerode";
import { renderBackupEnv } from "../../../lib/host/backup";
import { testLabel } from "./engineAdapter";

/** A restic repository server the suite runs, and what a host needs to reach it. */
export interface SftpRepository {
    container: string;
    address: string;
    /** Folder of the repository inside the server container. */
    path: string;
    knownHosts: string;
    clientKey: string;
    passwordFile: string;
}

/**
 * The repository server: sshd from the suite's own base image, on a network of the suite's own,
 * with a host key and a client key made here, so the host key is pinned, not trusted.
 */
export async function startSftpRepository(
    docker: Docker,
    runId: string,
    work: string,
): Promise<SftpRepository> {
    const container = `zc-test-sftp-${process.pid}`;
    const network = `zc-test-backup-${process.pid}`;
    const keys = path.join(work, "keys");
    fs.mkdirSync(keys, { mode: 0o700 });
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(keys, "host")]);
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(work, "client")]);
    fs.copyFileSync(path.join(work, "client.pub"), path.join(keys, "authorized_keys"));
    await docker.createNetwork({ Name: network, Labels: { [testLabel]: runId } });
    const sftp = await docker.createContainer({
        name: container,
        Image: "zeptoclaw-fleet/debian-base:bookworm",
        Labels: { [testLabel]: runId },
        Cmd: [
            "sh",
            "-c",
            "mkdir -p /run/sshd /srv/repo && exec /usr/sbin/sshd -D -e -p 2222 -h /keys/host " +
                "-o AuthorizedKeysFile=/keys/authorized_keys -o PasswordAuthentication=no " +
                "-o PermitRootLogin=prohibit-password",
        ],
        HostConfig: { Binds: [`${keys}:/keys:ro`], NetworkMode: network },
    });
    await sftp.start();
    const address = (await sftp.inspect()).NetworkSettings.Networks[network].IPAddress;
    const hostKey = fs
        .readFileSync(path.join(keys, "host.pub"), "utf8")
        .trim()
        .split(" ")
        .slice(0, 2)
        .join(" ");
    const knownHosts = path.join(work, "known_hosts");
    fs.writeFileSync(knownHosts, `[${address}]:2222 ${hostKey}\n`);
    const passwordFile = path.join(work, "password");
    fs.writeFileSync(passwordFile, "correct horse battery staple\n", { mode: 0o600 });
    return {
        container,
        address,
        path: "/srv/repo",
        knownHosts,
        clientKey: path.join(work, "client"),
        passwordFile,
    };
}

/** The backup settings of a host named `hostName` backing up to the repository, staging under `staging`. */
export function sftpBackupEnv(repository: SftpRepository, hostName: string, staging: string): string {
    return renderBackupEnv({
        target: {
            kind: "sftp",
            user: "root",
            host: repository.address,
            port: 2222,
            path: repository.path,
            hostKeyChecking: "yes",
        },
        hostName,
        retention: { daily: 7, weekly: 4, monthly: 6 },
        paths: {
            passwordFile: repository.passwordFile,
            sshKey: repository.clientKey,
            knownHosts: repository.knownHosts,
            staging,
        },
    });
}
