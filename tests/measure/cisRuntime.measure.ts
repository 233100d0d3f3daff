/**
 * `DOCKER_BENCH_GIT=<git dir> npm run bench:engine`: docker-bench-security's section 5 (CIS
 * Docker Benchmark 1.6.0, container runtime) against two tenants as the program declares them,
 * on this machine's engine. DOCKER_BENCH_GIT is a clone or the bare mirror of
 * github.com/docker/docker-bench-security; the script is read from its v1.6.0 tag into a
 * temporary folder and run there, never copied into this repository. Prints each check's result
 * as JSON; without DOCKER_BENCH_GIT it prints why it did not run.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { EngineAdapter, removeLabelled } from "../engine/support/engineAdapter";
import { eventually } from "../engine/support/engineHelpers";
import { startPidsLimitService } from "../engine/support/pidsLimitService";
import { realizeTenantSlices, removeTenantSlices } from "../engine/support/tenantSlices";
import { runProgram } from "../support/runProgram";
import { runnableSecretsFor, runnableSettings, tenantYaml } from "../support/tenantFiles";

jest.setTimeout(15 * 60_000);

const benchGit = process.env.DOCKER_BENCH_GIT ?? "";
const benchTag = "v1.6.0";
const tenants = ["cis-a", "cis-b"];
const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const adapter = new EngineAdapter(docker, `cis-${process.pid}`);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "zc-cis-"));

interface CheckResult {
    id: string;
    desc: string;
    result: string;
    details?: string;
    items?: string[];
}

afterAll(async () => {
    await adapter.removeEverything();
    removeTenantSlices();
    fs.rmSync(workDir, { recursive: true, force: true });
});

(benchGit === "" ? test.skip : test)(
    `docker-bench-security ${benchTag}, section 5, on the program's tenants`,
    async () => {
        const benchDir = path.join(workDir, "bench");
        fs.mkdirSync(benchDir);
        execFileSync("sh", [
            "-c",
            `git --git-dir "$0" archive ${benchTag} | tar -x -C "$1"`,
            benchGit,
            benchDir,
        ]);

        await removeLabelled(docker);
        removeTenantSlices();
        realizeTenantSlices(tenants.map((name) => ({ name, resources: { pids: 256 } })));
        const run = await runProgram({
            tenantFiles: Object.fromEntries(
                tenants.map((t) => [
                    `${t}.yaml`,
                    tenantYaml(t, { stacks: ["dev"], zeptoclaw: runnableSettings() }),
                ]),
            ),
            tenantSecrets: runnableSecretsFor(tenants),
            config: {
                configRoot: path.join(workDir, "configs"),
                imageSource: "build",
                imageContext: "tests/fixtures/zeptoclaw-standin",
                cgroupDriver: "cgroupfs",
            },
        });
        // A Hetzner host's PidsLimit service (lib/host/pidsLimit.ts), which no local engine runs.
        const pidsLimit = startPidsLimitService();
        try {
            await adapter.apply(run);
            await eventually("both gateways have their PidsLimit", 30_000, async () => {
                const limits = await Promise.all(
                    tenants.map(
                        async (t) => (await docker.getContainer(`zc-${t}`).inspect()).HostConfig.PidsLimit,
                    ),
                );
                return limits.every((l) => l === 256);
            });
        } finally {
            pidsLimit.stop();
        }

        const log = path.join(workDir, "section5.log");
        // -i keeps the check to the tenants' containers; the config writer has exited by now.
        execFileSync(
            "sh",
            ["docker-bench-security.sh", "-c", "container_runtime", "-i", "zc-cis-", "-l", log],
            {
                cwd: benchDir,
                stdio: ["ignore", "ignore", "inherit"],
            },
        );
        const report = JSON.parse(fs.readFileSync(`${log}.json`, "utf8")) as {
            tests: { results: CheckResult[] }[];
        };
        const results = report.tests.flatMap((t) => t.results);
        const count = (result: string) => results.filter((r) => r.result === result).length;
        console.log(
            JSON.stringify({
                benchmark: `docker-bench-security ${benchTag}, section 5`,
                containers: tenants.map((t) => `zc-${t}`),
                pass: count("PASS"),
                warn: count("WARN"),
                info: count("INFO"),
                note: count("NOTE"),
                notPassing: results
                    .filter((r) => r.result !== "PASS")
                    .map((r) => ({ id: r.id, result: r.result, desc: r.desc, details: r.details })),
            }),
        );
        expect(results.length).toBeGreaterThan(0);
    },
);
