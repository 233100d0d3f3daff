import * as readline from "node:readline";
import { Writable } from "node:stream";

/**
 * Reads secrets without echoing them: from the terminal with the typed characters hidden, or,
 * when standard input is not a terminal (a script, CI), one per line from it. The prompt goes
 * to stderr, so stdout stays clean for scripts.
 */
export class SecretReader {
    private readonly lines: AsyncIterator<string> | undefined;
    private readonly interactive: boolean;

    constructor(input: NodeJS.ReadStream = process.stdin) {
        this.interactive = input.isTTY === true;
        this.lines = this.interactive
            ? undefined
            : readline.createInterface({ input, terminal: false })[Symbol.asyncIterator]();
        this.input = input;
    }

    private readonly input: NodeJS.ReadStream;

    async read(prompt: string): Promise<string> {
        if (this.lines !== undefined) {
            const next = await this.lines.next();
            if (next.done === true) {
                throw new Error(`no value on standard input for: ${prompt}`);
            }
            return next.value.trim();
        }
        process.stderr.write(`${prompt}: `);
        const muted = new Writable({ write: (_chunk, _enc, done) => done() });
        const rl = readline.createInterface({ input: this.input, output: muted, terminal: true });
        const value = await new Promise<string>((resolve) => rl.question("", resolve));
        rl.close();
        process.stderr.write("\n");
        return value.trim();
    }

    close(): void {
        if (this.lines !== undefined) {
            void this.lines.return?.();
        }
    }
}
