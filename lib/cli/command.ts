import * as fs from "node:fs";
import * as path from "node:path";
import { Writable } from "node:stream";
import { projectStacks } from "../project/fleetProject";
import { unknownStackMessage } from "../tenants/selectTenants";

/** The operator named something wrong: the command line, the folder, the stack. */
export const exitUsage = 2;
/** The command was right but its work could not be done (the engine, a host, a tool). */
export const exitFailure = 1;

/** A refusal or failure for the operator: its message, and the exit status the command ends with. */
export class CommandError extends Error {
    constructor(
        message: string,
        readonly exitStatus: number,
    ) {
        super(message);
    }
}

export function fail(message: string, exitStatus: number = exitUsage): never {
    throw new CommandError(message, exitStatus);
}

/**
 * Where a command runs and writes. The scripts pass the process's own; tests pass a temporary
 * project and streams they read back, and call the command in the test's process.
 */
export interface CommandContext {
    cwd: string;
    stdout: Writable;
    stderr: Writable;
}

/** An operator command: its arguments in, its exit status out; refusals are thrown as CommandError. */
export type Command = (argv: string[], context: CommandContext) => Promise<number>;

/** The project folder the command runs in: `cwd`, when it holds the project's Pulumi.yaml. */
export function projectRoot(cwd: string): string {
    if (!fs.existsSync(path.join(cwd, "Pulumi.yaml"))) {
        fail("run this from the zeptoclaw-fleet project folder (where Pulumi.yaml is)");
    }
    return cwd;
}

/** The stacks the project has: one Pulumi.<stack>.yaml each. */
export function knownStacks(root: string): string[] {
    return projectStacks(root);
}

/** `stack`, when the project has it. */
export function requireKnownStack(stack: string, known: ReadonlyArray<string>): string {
    if (!known.includes(stack)) {
        fail(unknownStackMessage(stack, known));
    }
    return stack;
}

/** The stack named with -s, checked against the project's stacks; `usage` follows a missing one. */
export function requireStack(value: string | undefined, root: string, usage: string): string {
    const known = knownStacks(root);
    if (value === undefined || value === "") {
        fail(`name the stack with -s <stack> (known stacks: ${known.join(", ")})\n${usage}`);
    }
    return requireKnownStack(value, known);
}

/**
 * What went wrong, without the error's name: also for errors from another realm (Node's own,
 * seen from a test's sandbox), which are not `instanceof Error` there.
 */
export function errorMessage(err: unknown): string {
    return typeof err === "object" && err !== null && "message" in err ? String(err.message) : String(err);
}

/**
 * Runs `command` and turns what it throws into `name: message` on the context's stderr and an
 * exit status: a CommandError's own, 1 for anything else (a bug shows its message, not a stack).
 */
export async function runCommand(
    name: string,
    command: Command,
    argv: string[],
    context: CommandContext,
): Promise<number> {
    try {
        return await command(argv, context);
    } catch (err) {
        context.stderr.write(`${name}: ${errorMessage(err)}\n`);
        return err instanceof CommandError ? err.exitStatus : exitFailure;
    }
}

/** The entry of a script run as `npm run <name>`: the process's arguments, folder and streams. */
export function runMain(name: string, command: Command): void {
    const context = { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr };
    void runCommand(name, command, process.argv.slice(2), context).then((status) => {
        process.exitCode = status;
    });
}
