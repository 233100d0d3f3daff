import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    fail,
    knownStacks,
    projectRoot,
    requireStack,
    exitFailure,
    exitUsage,
} from "../../../lib/cli/command";
import { runInProcess } from "../../support/runInProcess";
import { tempDir } from "../../support/tempDir";

const dirs: string[] = [];

afterAll(() => {
    for (const dir of dirs) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

function thrown(f: () => unknown): unknown {
    try {
        f();
    } catch (err) {
        return err;
    }
    return undefined;
}

function project(files: string[]): string {
    const dir = tempDir("zc-command-");
    dirs.push(dir);
    for (const f of files) {
        fs.writeFileSync(path.join(dir, f), "");
    }
    return dir;
}

describe("projectRoot", () => {
    test("is the folder holding Pulumi.yaml, and refuses any other as a usage error", () => {
        const dir = project(["Pulumi.yaml"]);
        expect(projectRoot(dir)).toBe(dir);
        expect(thrown(() => projectRoot(project([])))).toMatchObject({
            message: "run this from the zeptoclaw-fleet project folder (where Pulumi.yaml is)",
            exitStatus: exitUsage,
        });
    });
});

describe("requireStack", () => {
    const root = project(["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"]);
    const usage = "usage: npm run x -- -s <stack>";

    test("the stacks are the project's Pulumi.<stack>.yaml files", () => {
        expect(knownStacks(root)).toEqual(["dev", "prod"]);
    });

    test("takes a stack the project has", () => {
        expect(requireStack("prod", root, usage)).toBe("prod");
    });

    test("a missing or empty stack names the known ones, then the usage", () => {
        for (const value of [undefined, ""]) {
            expect(() => requireStack(value, root, usage)).toThrow(
                `name the stack with -s <stack> (known stacks: dev, prod)\n${usage}`,
            );
        }
    });

    test("an unknown stack says which file is missing", () => {
        expect(() => requireStack("staging", root, usage)).toThrow(
            'stack "staging" does not exist (no Pulumi.staging.yaml); known stacks: dev, prod',
        );
    });
});

describe("runCommand", () => {
    const cwd = os.tmpdir();

    test("returns the command's exit status, its output untouched", async () => {
        const result = await runInProcess(
            "x",
            (argv, context) => {
                context.stdout.write(`got ${argv.join(" ")}\n`);
                return Promise.resolve(3);
            },
            ["a", "b"],
            cwd,
        );
        expect(result).toEqual({ status: 3, stdout: "got a b\n", stderr: "" });
    });

    test("a CommandError is `name: message` on stderr and its own exit status", async () => {
        for (const exitStatus of [exitUsage, exitFailure]) {
            const result = await runInProcess("status", () => fail("no such thing", exitStatus), [], cwd);
            expect(result).toEqual({ status: exitStatus, stdout: "", stderr: "status: no such thing\n" });
        }
    });

    test("anything else thrown is a failure (1) with its message", async () => {
        const result = await runInProcess("logs", () => Promise.reject(new TypeError("boom")), [], cwd);
        expect(result).toEqual({ status: 1, stdout: "", stderr: "logs: boom\n" });
    });
});
