import { shellQuote } from "../shellQuote";
import { StatusStackOutputs } from "./stackOutputs";

/**
 * How the status command reaches the stack's engine. `direct`: DOCKER_HOST as the stack says.
 * `ssh`: DOCKER_HOST as the stack says, with the Docker CLI's `ssh` pinned to the host key the
 * program generated for the server (`knownHosts` is the known_hosts file's content).
 */
export type DockerConnection =
    { kind: "direct"; dockerHost: string } | { kind: "ssh"; dockerHost: string; knownHosts: string };

export type ConnectionPlan = { ok: true; connection: DockerConnection } | { ok: false; message: string };

/** A known_hosts line: host, key type, base64 key, optional comment. */
const knownHostsLinePattern = /^(\S+) ((?:ssh|ecdsa|sk)-[A-Za-z0-9@.-]+) ([A-Za-z0-9+/]+={0,2})(?: .*)?$/;

/** Decides how to reach the engine from the stack outputs; refuses an SSH host without a pinned key. */
export function dockerConnection(stack: string, outputs: StatusStackOutputs): ConnectionPlan {
    const { dockerHost } = outputs;
    const scheme = /^([a-z]+):\/\//.exec(dockerHost)?.[1];
    if (scheme === "unix" || scheme === "tcp") {
        return { ok: true, connection: { kind: "direct", dockerHost } };
    }
    if (scheme !== "ssh") {
        return {
            ok: false,
            message: `the dockerHost output of stack "${stack}" is "${dockerHost}"; npm run status reaches unix://, tcp:// and ssh:// engines only`,
        };
    }
    let url: URL;
    try {
        url = new URL(dockerHost);
    } catch {
        return {
            ok: false,
            message: `the dockerHost output of stack "${stack}" is not a URL: "${dockerHost}"`,
        };
    }
    // Never trust on first use: without the stack's key, there is nothing to verify the host against.
    const line = outputs.knownHostsLine?.trim();
    if (line === undefined || line === "") {
        return {
            ok: false,
            message: `stack "${stack}" reaches its engine over SSH (${dockerHost}) but has no knownHostsLine output to verify the host key with; run pulumi up -s ${stack} to refresh its outputs`,
        };
    }
    const match = knownHostsLinePattern.exec(line);
    if (match === null) {
        return {
            ok: false,
            message: `the knownHostsLine output of stack "${stack}" is not a known_hosts line ("<host> <key type> <key>"): "${line}"`,
        };
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    if (match[1] !== host) {
        return {
            ok: false,
            message: `the knownHostsLine output of stack "${stack}" is for ${match[1]}, but dockerHost is ${dockerHost}; run pulumi up -s ${stack} to refresh its outputs`,
        };
    }
    // ssh looks a non-default port up as "[host]:port".
    const name = url.port === "" || url.port === "22" ? host : `[${host}]:${url.port}`;
    return {
        ok: true,
        connection: { kind: "ssh", dockerHost, knownHosts: `${name} ${match[2]} ${match[3]}\n` },
    };
}

/**
 * The ssh options that make the host key in `knownHostsFile` the only one accepted. Given first
 * on the command line, they win over ~/.ssh/config (ssh keeps the first value of an option):
 * no other known_hosts file and no KnownHostsCommand can add a key, and an unknown or changed key
 * fails the connection instead of being learnt.
 */
export function pinnedSshOptions(knownHostsFile: string): string[] {
    return [
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        `UserKnownHostsFile=${knownHostsFile}`,
        "-o",
        "GlobalKnownHostsFile=/dev/null",
        "-o",
        "KnownHostsCommand=none",
        "-o",
        "UpdateHostKeys=no",
    ];
}

/**
 * An `ssh` for the Docker CLI's PATH: the real ssh with the pinned options, then the CLI's own
 * arguments. The Docker CLI runs `ssh` from PATH for ssh:// hosts and has no setting for its
 * options, so a wrapper first in PATH is how the pin gets in.
 */
export function sshWrapperScript(realSsh: string, knownHostsFile: string): string {
    const words = [realSsh, ...pinnedSshOptions(knownHostsFile)].map(shellQuote).join(" ");
    return `#!/bin/sh\n# Written by npm run status: ssh with the stack's host key pinned.\nexec ${words} "$@"\n`;
}
