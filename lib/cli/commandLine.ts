import { ParseArgsOptionsConfig, parseArgs } from "node:util";
import { errorMessage, fail } from "./command";

/** The options every command spells the same way. */
export const commonOptions = {
    /** The host stack a command works on: `-s <stack>`. */
    stack: { type: "string", short: "s" },
    /** The environment a fleet command works on: `-e <environment>`. */
    environment: { type: "string", short: "e" },
    /** Take over the journal of a run that was killed (lib/fleet/operationJournal.ts). */
    "take-over": { type: "boolean" },
} as const;

/** What the command line holds: the options by name, and the other arguments in their order. */
export interface CommandLine<O extends ParseArgsOptionsConfig> {
    values: ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true }>>["values"];
    positionals: string[];
}

/**
 * The command line read against `options` by node's own parser, strictly: an unknown option or
 * a missing value is refused, with the command's `usage` after the parser's message. Commands
 * that take no other arguments say `positionals: false`.
 */
export function readCommandLine<O extends ParseArgsOptionsConfig>(
    argv: string[],
    options: O,
    usage: string,
    { positionals = true }: { positionals?: boolean } = {},
): { ok: true; line: CommandLine<O> } | { ok: false; message: string } {
    try {
        const parsed = parseArgs({ args: argv, options, allowPositionals: positionals, strict: true });
        return {
            ok: true,
            line: { values: parsed.values, positionals: parsed.positionals },
        };
    } catch (err) {
        return { ok: false, message: `${errorMessage(err)}\n${usage}` };
    }
}

/** `readCommandLine` for a command: a refusal ends it with the usage exit status. */
export function parseCommandLine<O extends ParseArgsOptionsConfig>(
    argv: string[],
    options: O,
    usage: string,
    settings: { positionals?: boolean } = {},
): CommandLine<O> {
    const read = readCommandLine(argv, options, usage, settings);
    return read.ok ? read.line : fail(read.message);
}

/**
 * A whole-number option of at least `min`: undefined when it is absent, or false when it is not
 * such a number (the caller says what the number counts).
 */
export function wholeNumberOption(value: string | undefined, min = 1): number | undefined | false {
    if (value === undefined) {
        return undefined;
    }
    const n = Number(value);
    return value.trim() !== "" && Number.isInteger(n) && n >= min ? n : false;
}
