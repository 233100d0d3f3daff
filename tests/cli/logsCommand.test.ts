import * as fs from "node:fs";
import * as path from "node:path";
import { logsCommand } from "../../scripts/logs";
import { runInProcess } from "../support/runInProcess";
import { tempDir } from "../support/tempDir";

const repo = path.resolve(__dirname, "..", "..");
const dirs: string[] = [];

afterAll(() => {
    for (const dir of dirs) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

/** A folder with the project's stack files, or with none. */
function folder(withProject: boolean): string {
    const dir = tempDir("zc-logs-cli-");
    dirs.push(dir);
    if (withProject) {
        for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"]) {
            fs.copyFileSync(path.join(repo, f), path.join(dir, f));
        }
    }
    return dir;
}

const run = (args: string[], cwd: string) => runInProcess("logs", logsCommand, args, cwd);

describe("npm run logs refuses before reaching any engine", () => {
    test("outside the project folder", async () => {
        expect(await run(["-s", "dev", "shop-a"], folder(false))).toEqual({
            status: 2,
            stdout: "",
            stderr: "logs: run this from the zeptoclaw-fleet project folder (where Pulumi.yaml is)\n",
        });
    });

    test("a missing or unknown stack, a bad option, a missing or malformed tenant: usage errors", async () => {
        const dir = folder(true);
        const missing = await run(["shop-a"], dir);
        expect(missing.status).toBe(2);
        expect(missing.stderr).toBe(
            "logs: name the stack with -s <stack> (known stacks: dev, prod)\n" +
                "usage: npm run logs -- -s <stack> <tenant> [--since <1h | 30m | 2026-12-01T08:00:00Z>] [-f] [--json]\n",
        );
        expect(await run(["-s", "staging", "shop-a"], dir)).toMatchObject({
            status: 2,
            stderr: 'logs: stack "staging" does not exist (no Pulumi.staging.yaml); known stacks: dev, prod\n',
        });
        expect(await run(["-s", "dev", "--tail", "5", "shop-a"], dir)).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(/^logs: Unknown option '--tail'/),
        });
        expect(await run(["-s", "dev"], dir)).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(/^logs: name one tenant\n/),
        });
        expect(await run(["-s", "dev", "Shop;id"], dir)).toMatchObject({
            status: 2,
            stderr: expect.stringMatching(/^logs: "Shop;id" is not a tenant name/),
        });
    });
});
