import { Writable } from "node:stream";
import { CommandError, exitFailure } from "../../../lib/cli/command";
import { finished, lastLine, run, runBytes, runSync, start } from "../../../lib/cli/processRunner";

// Tools every Debian machine has; `sh -c` stands for any tool the commands run.
const sh = (script: string) => ["-c", script];

describe("processRunner", () => {
    test("run collects both outputs and the exit status, and writes `input` to standard input", async () => {
        const ran = await run("sh", sh('cat; echo "went wrong" >&2; exit 3'), { input: "a secret\n" });
        expect(ran).toEqual({ code: 3, stdout: "a secret\n", stderr: "went wrong\n" });
    });

    test("run copies output to `echo` as it comes", async () => {
        const seen: string[] = [];
        const sink = () =>
            new Writable({
                write(chunk: Buffer, _encoding, done) {
                    seen.push(chunk.toString("utf8"));
                    done();
                },
            });
        await run("sh", sh("echo out; echo err >&2"), { echo: { stdout: sink(), stderr: sink() } });
        expect(seen.sort()).toEqual(["err\n", "out\n"]);
    });

    test("runBytes stops a tool past maxStdoutBytes and keeps exactly that many bytes, as a success", async () => {
        const ran = await runBytes("sh", sh("head -c 1000000 /dev/zero; exit 7"), { maxStdoutBytes: 1000 });
        expect(ran.stdout.length).toBe(1000);
        expect(ran.code).toBe(0);
    });

    test("a tool that is not installed is the operator's refusal, naming where to get it", async () => {
        const env = { PATH: "/nonexistent" };
        await expect(run("docker", ["ps"], { env })).rejects.toEqual(
            new CommandError(
                "the docker CLI is not installed or not on PATH (https://docs.docker.com/engine/install/)",
                exitFailure,
            ),
        );
        expect(() => runSync("pulumi", ["version"], { env })).toThrow(/Pulumi CLI is not installed/);
        expect(() => runSync("zc-no-such-tool", [], { env })).toThrow(
            "zc-no-such-tool is not installed or not on PATH",
        );
    });

    test("runSync with terminal prompts collects standard output only", () => {
        // Standard error goes to the operator's terminal (here, jest's): nothing of it is kept.
        const ran = runSync("sh", sh("echo shown >&2; echo kept"), { terminal: "prompts" });
        expect(ran).toEqual({ code: 0, stdout: "kept\n", stderr: "" });
    });

    test("finished resolves on exit 0 and otherwise names what failed with its last line on stderr", async () => {
        await expect(finished(start("sh", sh("exit 0"), {}), "sh", "nothing")).resolves.toBeUndefined();
        await expect(
            finished(start("sh", sh("echo first >&2; echo last >&2; exit 4"), {}), "sh", "the copy"),
        ).rejects.toThrow("the copy failed (exit status 4): last");
    });

    test("lastLine skips blank lines", () => {
        expect(lastLine("a\n  b  \n\n")).toBe("b");
        expect(lastLine("")).toBe("");
    });
});
