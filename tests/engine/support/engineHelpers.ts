import * as net from "node:net";
import Docker from "dockerode";

export interface ExecResult {
    code: number;
    output: string;
}

/** Runs a command in a running container (as `user`, by default the container's) and collects its output. */
export async function execIn(
    docker: Docker,
    container: string,
    cmd: string[],
    user?: string,
): Promise<ExecResult> {
    const exec = await docker
        .getContainer(container)
        .exec({ Cmd: cmd, User: user, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", resolve);
        stream.on("error", reject);
    });
    const { ExitCode } = await exec.inspect();
    return { code: ExitCode ?? -1, output: demultiplex(Buffer.concat(chunks)) };
}

/** Docker's attach stream interleaves stdout and stderr behind 8-byte frame headers. */
function demultiplex(buffer: Buffer): string {
    const parts: string[] = [];
    let offset = 0;
    while (offset + 8 <= buffer.length) {
        const size = buffer.readUInt32BE(offset + 4);
        parts.push(buffer.subarray(offset + 8, offset + 8 + size).toString("utf8"));
        offset += 8 + size;
    }
    return parts.join("");
}

/** Whether a TCP connection to host:port opens within the timeout. */
export function canConnect(host: string, port: number, timeoutMs = 3000): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect({ host, port });
        const done = (ok: boolean) => {
            socket.destroy();
            resolve(ok);
        };
        socket.setTimeout(timeoutMs, () => done(false));
        socket.once("connect", () => done(true));
        socket.once("error", () => done(false));
    });
}

/** Polls `check` every second until it returns true, or fails after `timeoutMs`. */
export async function eventually(
    what: string,
    timeoutMs: number,
    check: () => Promise<boolean>,
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (await check()) {
            return;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs / 1000} s waiting until ${what}`);
        }
        await new Promise((r) => setTimeout(r, 1000));
    }
}

/** One of the engine's events, as its event stream gives it. */
export interface EngineEvent {
    Action: string;
    /** The time, in nanoseconds since the epoch. */
    timeNano: number;
    Actor: { ID: string; Attributes: Record<string, string> };
}

/**
 * The engine's events that match `filters`, from `since` until `until` (Unix seconds; by default
 * a second from now, so that what just happened is in), oldest first.
 */
export async function engineEvents(
    docker: Docker,
    filters: Record<string, string[]>,
    since: number,
    until: number = Math.ceil(Date.now() / 1000) + 1,
): Promise<EngineEvent[]> {
    const stream = await docker.getEvents({ since, until, filters });
    let text = "";
    for await (const chunk of stream) {
        text += String(chunk);
    }
    return text
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as EngineEvent);
}

/** The actions (start, oom, die...) of a container's events on the engine since a Unix time, in order. */
export async function containerEvents(docker: Docker, container: string, since: number): Promise<string[]> {
    return (await engineEvents(docker, { type: ["container"], container: [container] }, since)).map(
        (e) => e.Action,
    );
}
