import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { Writable } from "node:stream";
import { CommandError, exitFailure } from "./command";

/**
 * The tools the operator commands run, and where the operator gets one that is missing. A path
 * (the pinned Pulumi CLI: lib/cli/pulumiDriver.ts) is named by its file.
 */
const installHints: Record<string, string> = {
    docker: "the docker CLI is not installed or not on PATH (https://docs.docker.com/engine/install/)",
    pulumi: "the Pulumi CLI is not installed or not on PATH (https://www.pulumi.com/docs/install/)",
    git: "git is not installed or not on PATH",
    ssh: "ssh is not installed: reaching a host over SSH needs OpenSSH's ssh (8.5 or newer)",
};

/** The refusal for a tool that is not there, as the operator reads it. */
export function notInstalled(command: string): CommandError {
    return new CommandError(
        installHints[command] ?? `${command} is not installed or not on PATH`,
        exitFailure,
    );
}

/** How a run went: its exit status (null when a signal ended it) and what it printed. */
export interface Ran {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** How the operator's terminal takes part in a run. */
export type Terminal =
    /** Not at all: standard input is closed (or `input`), both outputs are collected. */
    | "none"
    /** The tool's prompts and errors reach the operator; only its standard output is collected. */
    | "prompts"
    /** Everything goes to and from the terminal; nothing is collected. */
    | "all";

export interface RunOptions {
    /** The tool's working directory. Default: this process's. */
    cwd?: string;
    /** The tool's environment (a stack's engine: lib/cli/stackEngine.ts). Default: this process's. */
    env?: NodeJS.ProcessEnv;
    /** Written to the tool's standard input, which is then closed: secrets never go on a command line. */
    input?: string;
    /** The operator's terminal's part. Default: "none". */
    terminal?: Terminal;
}

export interface AsyncRunOptions extends Omit<RunOptions, "terminal"> {
    /** Also copies the tool's output there as it comes. Default: not copied. */
    echo?: { stdout: Writable; stderr: Writable };
    /**
     * Bytes of standard output kept. Past it the tool is stopped and its output cut there (a file
     * a tenant can write to is read with a limit); the run then counts as a success. Default: no limit.
     */
    maxStdoutBytes?: number;
}

/** Standard error kept, so that a tool that prints without end cannot fill this process. */
const maxStderrChars = 64 * 1024;

/** What a started tool prints on standard error, kept up to maxStderrChars, read when it ends. */
function keptStderr(child: ChildProcess): () => string {
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
        if (stderr.length < maxStderrChars) {
            stderr += chunk.toString("utf8");
        }
    });
    return () => stderr;
}

function stdioOf(
    terminal: Terminal,
    input: string | undefined,
): ["pipe" | "inherit" | "ignore", "pipe" | "inherit", "pipe" | "inherit"] {
    const stdin = input !== undefined ? "pipe" : terminal === "none" ? "ignore" : "inherit";
    switch (terminal) {
        case "none":
            return [stdin, "pipe", "pipe"];
        case "prompts":
            return [stdin, "pipe", "inherit"];
        case "all":
            return [stdin, "inherit", "inherit"];
    }
}

/** Runs a tool to its end, waiting for it (for commands that do one thing at a time). */
export function runSync(command: string, args: string[], options: RunOptions = {}): Ran {
    const result = spawnSync(command, args, {
        cwd: options.cwd,
        // Named, not left to child_process's default (Node's own process.env): the same object in a
        // command, but not the one a jest test sets PATH on.
        env: options.env ?? process.env,
        input: options.input,
        encoding: "utf8",
        stdio: stdioOf(options.terminal ?? "none", options.input),
        maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error !== undefined) {
        throw (result.error as NodeJS.ErrnoException).code === "ENOENT"
            ? notInstalled(command)
            : result.error;
    }
    return { code: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

/** A run whose standard output is kept as bytes (a tar, a file of any encoding). */
export interface RanBytes extends Omit<Ran, "stdout"> {
    stdout: Buffer;
}

/** Runs a tool to its end without blocking this process (for work done side by side). */
export async function run(command: string, args: string[], options: AsyncRunOptions = {}): Promise<Ran> {
    const ran = await runBytes(command, args, options);
    return { ...ran, stdout: ran.stdout.toString("utf8") };
}

/** `run`, with standard output as the bytes the tool wrote. */
export function runBytes(command: string, args: string[], options: AsyncRunOptions = {}): Promise<RanBytes> {
    const maxStdout = options.maxStdoutBytes ?? Infinity;
    const child = start(command, args, {
        cwd: options.cwd,
        env: options.env,
        stdin: options.input === undefined ? "ignore" : "pipe",
        stdout: "pipe",
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    const stderr = keptStderr(child);
    child.stdout!.on("data", (chunk: Buffer) => {
        if (outBytes < maxStdout) {
            out.push(chunk);
        }
        outBytes += chunk.length;
        options.echo?.stdout.write(chunk);
        if (outBytes > maxStdout) {
            child.kill();
        }
    });
    child.stderr!.on("data", (chunk: Buffer) => options.echo?.stderr.write(chunk));
    if (options.input !== undefined) {
        child.stdin!.end(options.input);
    }
    return new Promise((resolve, reject) => {
        child.on("error", (err: NodeJS.ErrnoException) =>
            reject(err.code === "ENOENT" ? notInstalled(command) : err),
        );
        child.on("close", (code) => {
            const cut = outBytes > maxStdout;
            const stdout = Buffer.concat(out);
            resolve({
                code: cut ? 0 : code,
                stdout: cut ? stdout.subarray(0, maxStdout) : stdout,
                stderr: stderr(),
            });
        });
    });
}

/** A tool whose streams the caller wires (a volume piped from one engine to another, a log relayed). */
export function start(
    command: string,
    args: string[],
    options: {
        cwd?: string;
        env?: NodeJS.ProcessEnv;
        /** Default: "ignore". */
        stdin?: "pipe" | "ignore";
        /** Default: "pipe". */
        stdout?: "pipe" | "ignore";
    },
): ChildProcess {
    return spawn(command, args, {
        cwd: options.cwd,
        // Named, not left to child_process's default (Node's own process.env): the same object in a
        // command, but not the one a jest test sets PATH on.
        env: options.env ?? process.env,
        stdio: [options.stdin ?? "ignore", options.stdout ?? "pipe", "pipe"],
    });
}

/** The last line a tool printed on standard error, trimmed; "" when it printed none. */
export function lastLine(stderr: string): string {
    return (
        stderr
            .split("\n")
            .map((l) => l.trim())
            .filter((l) => l !== "")
            .pop() ?? ""
    );
}

/**
 * The end of a started tool: resolves when it exits 0; else rejects with `what` failed, its exit
 * status and the last line of its standard error.
 */
export function finished(child: ChildProcess, command: string, what: string): Promise<void> {
    const stderr = keptStderr(child);
    return new Promise((resolve, reject) => {
        child.on("error", (err: NodeJS.ErrnoException) =>
            reject(err.code === "ENOENT" ? notInstalled(command) : err),
        );
        child.on("close", (code) => {
            const last = lastLine(stderr());
            if (code === 0) {
                resolve();
            } else {
                reject(new Error(`${what} failed (exit status ${code})${last === "" ? "" : `: ${last}`}`));
            }
        });
    });
}
