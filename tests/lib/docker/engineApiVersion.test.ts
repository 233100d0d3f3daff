import { localEngineApiVersion, startIntervalProblems } from "../../../lib/docker/engineApiVersion";
import { fakeEngine } from "../../support/fakeEngine";
import { tempDir } from "../../support/tempDir";

describe("the engine's API", () => {
    test("is asked over a unix socket, and not at all over another transport or where nothing answers", async () => {
        const engine = await fakeEngine("1.41");
        const silent = await fakeEngine(undefined);
        try {
            expect(await localEngineApiVersion(engine.dockerHost)).toBe("1.41");
            expect(await localEngineApiVersion(silent.dockerHost, 200)).toBeUndefined();
            expect(await localEngineApiVersion(`unix://${tempDir("zc-none-")}/docker.sock`)).toBeUndefined();
            expect(await localEngineApiVersion("ssh://root@198.51.100.7")).toBeUndefined();
        } finally {
            engine.close();
            silent.close();
        }
    });

    test("an engine older than start_interval under a stack that promises it is refused, naming the key and the fix", () => {
        expect(startIntervalProblems("1.45", "1.41", "unix:///var/run/docker.sock", "dev")).toEqual([
            {
                where: "Pulumi.dev.yaml: zeptoclaw-fleet:dockerApiVersion",
                path: "",
                message:
                    "is 1.45, but the engine at unix:///var/run/docker.sock speaks API 1.41, which has no healthcheck " +
                    "start_interval (API 1.44, Docker 25): set it to the engine's (pulumi config set dockerApiVersion 1.41 -s dev) " +
                    "or upgrade the engine",
            },
        ]);
        // What the stack says matches the engine, or the engine could not be asked.
        expect(startIntervalProblems("1.41", "1.41", "unix:///x", "dev")).toEqual([]);
        expect(startIntervalProblems("1.45", "1.45", "unix:///x", "dev")).toEqual([]);
        expect(startIntervalProblems("1.44", "1.47", "unix:///x", "dev")).toEqual([]);
        expect(startIntervalProblems("1.45", undefined, "ssh://x", "dev")).toEqual([]);
    });
});
