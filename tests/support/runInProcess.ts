import { Writable } from "node:stream";
import { Command, runCommand } from "../../lib/cli/command";

/** A stream that keeps what is written to it. */
function collector(): { stream: Writable; text: () => string } {
    const chunks: Buffer[] = [];
    const stream = new Writable({
        write(chunk: Buffer | string, _encoding, done) {
            chunks.push(Buffer.from(chunk));
            done();
        },
    });
    return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

/** Runs an operator command in the test's process, as its script would: exit status and output. */
export async function runInProcess(
    name: string,
    command: Command,
    argv: string[],
    cwd: string,
): Promise<{ status: number; stdout: string; stderr: string }> {
    const stdout = collector();
    const stderr = collector();
    const status = await runCommand(name, command, argv, {
        cwd,
        stdout: stdout.stream,
        stderr: stderr.stream,
    });
    return { status, stdout: stdout.text(), stderr: stderr.text() };
}
