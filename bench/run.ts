/**
 * `npm run bench`: evaluates the program under mocks, each case in its own process, and prints one
 * JSON line per case (time, resources, memory). Tenant files are written before any process is
 * timed (bench/benchTenants.ts).
 *
 * - One host with 100 and with 1000 tenants (`npm run bench -- 100 1000` picks sizes).
 * - The fleet case, 1000 tenants on 4 hosts of 250: one host stack evaluated alone (what a
 *   one-tenant change previews), then the 4 host stacks evaluated in parallel; each reads and
 *   validates every tenant file and declares its 250. The same two runs of
 *   bench/tenantRegistrations.ts give the floor: the tenants' own registrations and nothing else.
 *   The one-host program and the floor run once more compiled ahead of time, in plain Node
 *   (bench/transpiledProject.ts). With `ZEPTOCLAW_GIT=<zeptoclaw git dir>`
 *   (a clone or the bare mirror of github.com/qhkm/zeptoclaw), the seed's
 *   `scripts/generate-compose.sh` at v0.9.2 runs for the same 1000 tenants in the same run, and
 *   the ratios are printed; it is read from that repository, never copied into this one.
 * - The growing fleet: the same one host stack of 250 in a fleet of 1000 and of 10,000 tenant
 *   files, alternating, a few runs each: a host stack's cost should grow with its own tenants,
 *   not with the fleet's (lib/tenants/tenantFilesOfStack.ts).
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { benchTenantName, writeBenchTenants } from "./benchTenants";
import { pulumiNodeArgs } from "./pulumiNodeArgs";
import { withTranspiledProject } from "./transpiledProject";

const root = path.join(__dirname, "..");
const fleetTenants = 1000;
const fleetHosts = 4;
const grownFleetTenants = 10_000;
/** Alternating runs of each fleet size in the growing-fleet case, for medians. */
const growingFleetRuns = 5;

interface Evaluation {
    seconds: number;
    maxRssMb: number;
    /** User and system CPU time of the whole process. */
    cpuSeconds: number;
}

/** The Node flags of Pulumi.yaml, which the CLI passes the program's process. */
const nodeArgs = pulumiNodeArgs(root);

/** A TypeScript script of bench/, run as `pulumi preview` runs the program (bench/pulumiTsNode.js). */
function scriptArgs(script: string, args: ReadonlyArray<string | number>): string[] {
    return [
        ...nodeArgs,
        "-r",
        path.join(__dirname, "registerPulumiTsNode.js"),
        path.join(__dirname, script),
        ...args.map(String),
    ];
}

/** One process, timed from start to exit, as the seed's generator is timed. */
async function timedProcess(args: string[], cwd = root): Promise<{ stdout: string; seconds: number }> {
    const started = process.hrtime.bigint();
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd });
    return { stdout, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/**
 * A script of bench/ in the transpiled project, run by Node without TypeScript, source maps
 * registered first as @pulumi/pulumi's runner registers them (cmd/run/index.js).
 */
function plainNodeArgs(jsProject: string, script: string, args: ReadonlyArray<string | number>): string[] {
    return [
        ...nodeArgs,
        "-r",
        // The copy the SDK's runner loads.
        require.resolve("source-map-support/register", {
            paths: [path.dirname(require.resolve("@pulumi/pulumi"))],
        }),
        path.join(jsProject, "bench", script.replace(/\.ts$/, ".js")),
        ...args.map(String),
    ];
}

/** `count` copies of one process at once: the wall time until the last exits, and each one's output. */
async function parallelProcesses(
    count: number,
    args: string[],
    cwd = root,
): Promise<{ outputs: Evaluation[]; seconds: number }> {
    const started = process.hrtime.bigint();
    const runs = await Promise.all(Array.from({ length: count }, () => timedProcess(args, cwd)));
    return {
        outputs: runs.map((r) => JSON.parse(r.stdout) as Evaluation),
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
}

async function withBenchTenants<T>(
    files: number,
    onStack: number,
    use: (dir: string) => Promise<T>,
): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zc-bench-"));
    try {
        writeBenchTenants(dir, files, onStack);
        return await use(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The seed's generator for `tenants` tenants (one folder with a config.json each), in seconds. */
function seedGenerator(tenants: number): number | undefined {
    const gitDir = process.env.ZEPTOCLAW_GIT;
    if (gitDir === undefined || gitDir === "") {
        return undefined;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zc-bench-seed-"));
    try {
        const script = execFileSync("git", [
            "--git-dir",
            gitDir,
            "show",
            "v0.9.2:scripts/generate-compose.sh",
        ]);
        fs.writeFileSync(path.join(dir, "generate-compose.sh"), script);
        for (let i = 0; i < tenants; i++) {
            const tenant = path.join(dir, "tenants", benchTenantName(i));
            fs.mkdirSync(tenant, { recursive: true });
            fs.writeFileSync(path.join(tenant, "config.json"), "{}\n");
        }
        const started = process.hrtime.bigint();
        execFileSync("bash", ["generate-compose.sh"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
        return Number(process.hrtime.bigint() - started) / 1e9;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const twoDecimals = (n: number) => Number(n.toFixed(2));

/** A timed one-host process's figures. */
function oneHostFigures(run: { stdout: string; seconds: number }) {
    const evaluation = JSON.parse(run.stdout) as Evaluation;
    return {
        oneHostSeconds: twoDecimals(run.seconds),
        oneHostEvaluationSeconds: evaluation.seconds,
        oneHostCpuSeconds: evaluation.cpuSeconds,
        oneHostMaxRssMb: evaluation.maxRssMb,
    };
}

/**
 * The host stacks' processes at once: the wall time until the last exits, their CPU time in all
 * (on this machine's cores, the least wall time they could take), the largest peak.
 */
function allHostsFigures(runs: { outputs: Evaluation[]; seconds: number }) {
    return {
        allHostsParallelSeconds: twoDecimals(runs.seconds),
        allHostsCpuSeconds: twoDecimals(runs.outputs.reduce((sum, e) => sum + e.cpuSeconds, 0)),
        allHostsMaxRssMb: Math.max(...runs.outputs.map((e) => e.maxRssMb)),
    };
}

async function fleetCase(): Promise<void> {
    const perHost = fleetTenants / fleetHosts;
    const seed = seedGenerator(fleetTenants);
    const floor = scriptArgs("tenantRegistrations.ts", [perHost]);
    const runs = await withBenchTenants(fleetTenants, perHost, async (dir) => {
        const evaluate = scriptArgs("evaluateProgram.ts", [dir, perHost]);
        return {
            oneHost: await timedProcess(evaluate),
            allHosts: await parallelProcesses(fleetHosts, evaluate),
            floorOneHost: await timedProcess(floor),
            floorAllHosts: await parallelProcesses(fleetHosts, floor),
            ...(await withTranspiledProject(async (js) => {
                const compiledFloor = plainNodeArgs(js, "tenantRegistrations.ts", [perHost]);
                return {
                    compiledOneHost: await timedProcess(
                        plainNodeArgs(js, "evaluateProgram.ts", [dir, perHost]),
                        js,
                    ),
                    compiledFloorOneHost: await timedProcess(compiledFloor, js),
                    compiledFloorAllHosts: await parallelProcesses(fleetHosts, compiledFloor, js),
                };
            })),
        };
    });
    const oneHost = oneHostFigures(runs.oneHost);
    const ratio = (a: number | undefined, b: number) => (a === undefined ? null : twoDecimals(a / b));
    console.log(
        JSON.stringify({
            case: `fleet: ${fleetTenants} tenants on ${fleetHosts} hosts`,
            cores: os.cpus().length,
            seedGeneratorSeconds: seed === undefined ? null : twoDecimals(seed),
            ...oneHost,
            ...allHostsFigures(runs.allHosts),
            seedOverOneHost: ratio(seed, oneHost.oneHostSeconds),
            seedOverOneHostEvaluation: ratio(seed, oneHost.oneHostEvaluationSeconds),
            seedOverAllHostsParallel: ratio(seed, runs.allHosts.seconds),
            tenantRegistrationsOnly: {
                ...oneHostFigures(runs.floorOneHost),
                ...allHostsFigures(runs.floorAllHosts),
            },
            compiledAheadOfTime: {
                ...oneHostFigures(runs.compiledOneHost),
                tenantRegistrationsOnly: {
                    ...oneHostFigures(runs.compiledFloorOneHost),
                    ...allHostsFigures(runs.compiledFloorAllHosts),
                },
            },
        }),
    );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A timed evaluation process: what it printed, and its wall time. */
interface TimedEvaluation extends Evaluation {
    wallSeconds: number;
}

function growingFleetFigures(runs: TimedEvaluation[]) {
    return {
        medianSeconds: twoDecimals(median(runs.map((r) => r.wallSeconds))),
        medianEvaluationSeconds: median(runs.map((r) => r.seconds)),
        medianCpuSeconds: median(runs.map((r) => r.cpuSeconds)),
        maxRssMb: Math.max(...runs.map((r) => r.maxRssMb)),
    };
}

/**
 * One host stack of a fleet of 1000 and of 10,000 tenant files, the same 250 on it: runs of the
 * two alternate, so that a change in the machine's speed weighs on both.
 */
async function growingFleetCase(): Promise<void> {
    const perHost = fleetTenants / fleetHosts;
    const runs = await withBenchTenants(fleetTenants, perHost, (small) =>
        withBenchTenants(grownFleetTenants, perHost, async (large) => {
            const bySize = { small: [] as TimedEvaluation[], large: [] as TimedEvaluation[] };
            for (let i = 0; i < growingFleetRuns; i++) {
                for (const [size, dir] of [
                    ["small", small],
                    ["large", large],
                ] as const) {
                    const run = await timedProcess(scriptArgs("evaluateProgram.ts", [dir, perHost]));
                    bySize[size].push({
                        ...(JSON.parse(run.stdout) as Evaluation),
                        wallSeconds: run.seconds,
                    });
                }
            }
            return bySize;
        }),
    );
    const small = growingFleetFigures(runs.small);
    const large = growingFleetFigures(runs.large);
    console.log(
        JSON.stringify({
            case: `growing fleet: one host stack of ${perHost} in ${fleetTenants} and in ${grownFleetTenants} tenant files`,
            cores: os.cpus().length,
            runsEach: growingFleetRuns,
            [`fleetOf${fleetTenants}`]: small,
            [`fleetOf${grownFleetTenants}`]: large,
            largeOverSmall: twoDecimals(large.medianSeconds / small.medianSeconds),
            largeOverSmallEvaluation: twoDecimals(
                large.medianEvaluationSeconds / small.medianEvaluationSeconds,
            ),
        }),
    );
}

async function main(): Promise<void> {
    for (const tenants of process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["100", "1000"]) {
        const size = Number(tenants);
        const { stdout } = await withBenchTenants(size, size, (dir) =>
            timedProcess(scriptArgs("evaluateProgram.ts", [dir, size])),
        );
        process.stdout.write(stdout);
    }
    await fleetCase();
    await growingFleetCase();
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
