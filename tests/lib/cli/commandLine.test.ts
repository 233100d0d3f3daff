import { CommandError, exitUsage } from "../../../lib/cli/command";
import {
    commonOptions,
    parseCommandLine,
    readCommandLine,
    wholeNumberOption,
} from "../../../lib/cli/commandLine";

const usage = "usage: npm run example -- -s <stack> <thing>";
const options = { stack: commonOptions.stack, json: { type: "boolean", default: false } } as const;

describe("readCommandLine", () => {
    test("reads the shared options by their one spelling, and the other arguments in order", () => {
        expect(readCommandLine(["b", "-s", "prod", "a", "--json"], options, usage)).toEqual({
            ok: true,
            line: { values: { stack: "prod", json: true }, positionals: ["b", "a"] },
        });
        expect(readCommandLine(["--stack=dev"], options, usage)).toMatchObject({
            line: { values: { stack: "dev", json: false } },
        });
    });

    test("refuses an unknown option, a missing value, or an argument a command takes none of, with the usage", () => {
        expect(readCommandLine(["--force"], options, usage)).toEqual({
            ok: false,
            message: expect.stringMatching(/^Unknown option '--force'.*\nusage: npm run example/s),
        });
        expect(readCommandLine(["-s"], options, usage)).toEqual({
            ok: false,
            message: expect.stringMatching(/^Option '-s, --stack <value>' argument missing\nusage:/),
        });
        expect(readCommandLine(["extra"], options, usage, { positionals: false })).toEqual({
            ok: false,
            message: expect.stringMatching(/^Unexpected argument 'extra'.*\nusage:/s),
        });
    });

    test("parseCommandLine ends the command with the usage exit status", () => {
        let thrown: unknown;
        try {
            parseCommandLine(["--force"], options, usage);
        } catch (err) {
            thrown = err;
        }
        expect(thrown).toBeInstanceOf(CommandError);
        expect(thrown).toMatchObject({ exitStatus: exitUsage, message: expect.stringMatching(/\nusage:/) });
    });
});

describe("wholeNumberOption", () => {
    test("absent is undefined; a whole number of at least min is itself; anything else is false", () => {
        expect(wholeNumberOption(undefined)).toBeUndefined();
        expect(wholeNumberOption("4")).toBe(4);
        expect(wholeNumberOption("0")).toBe(false);
        expect(wholeNumberOption("0", 0)).toBe(0);
        expect(wholeNumberOption("2.5")).toBe(false);
        expect(wholeNumberOption("")).toBe(false);
        expect(wholeNumberOption(" ")).toBe(false);
        expect(wholeNumberOption("four")).toBe(false);
    });
});
