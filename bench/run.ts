/**
 * `npm run bench`: evaluates the program under mocks, each case in its own process, and prints one
 * JSON line per case (time, resources, memory).
 *
 * - One host with 100 and with 1000 tenants (`npm run bench -- 100 1000` picks sizes).
 * - The fleet case, 1000 tenants on 4 hosts of 250: one host stack evaluated alone (what a
 *   one-tenant change previews), then the 4 host stacks evaluated in parallel; each reads and
 *   validates every tenant file and declares its 250. With `ZEPTOCLAW_GIT=<zeptoclaw git dir>`
 *   (a clone or the bare mirror of github.com/qhkm/zeptoclaw), the seed's
 *   `scripts/generate-compose.sh` at v0.9.2 runs for the same 1000 tenants in the same run, and
 *   the ratios are printed; it is read from that repository, never copied into this one.
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const root = path.join(__dirname, "..");
const evaluate = path.join(__dirname, "evaluateProgram.ts");
const fleetTenants = 1000;
const fleetHosts = 4;

interface Evaluation {
    tenants: number;
    tenantFiles: number;
    seconds: number;
    maxRssMb: number;
}

/** Each evaluation runs its TypeScript as `pulumi preview` would (bench/pulumiTsNode.js). */
function evaluateArgs(files: number, declared: number): string[] {
    return ["-r", path.join(__dirname, "registerPulumiTsNode.js"), evaluate, String(files), String(declared)];
}

function evaluateOnce(files: number, declared: number): string {
    return execFileSync(process.execPath, evaluateArgs(files, declared), { encoding: "utf8", cwd: root });
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
            const tenant = path.join(dir, "tenants", `tenant-${String(i).padStart(4, "0")}`);
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

async function fleetCase(): Promise<void> {
    const perHost = fleetTenants / fleetHosts;
    const seed = seedGenerator(fleetTenants);
    // Process wall time, start to exit, as the seed's generator is timed.
    const oneHostStarted = process.hrtime.bigint();
    const oneHost = JSON.parse(evaluateOnce(fleetTenants, perHost)) as Evaluation;
    const oneHostSeconds = Number(process.hrtime.bigint() - oneHostStarted) / 1e9;
    const started = process.hrtime.bigint();
    const hosts = await Promise.all(
        Array.from({ length: fleetHosts }, () =>
            promisify(execFile)(process.execPath, evaluateArgs(fleetTenants, perHost), { cwd: root }),
        ),
    );
    const parallelSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const each = hosts.map((h) => JSON.parse(h.stdout) as Evaluation);
    const ratio = (a: number | undefined, b: number) => (a === undefined ? null : Number((a / b).toFixed(2)));
    console.log(
        JSON.stringify({
            case: `fleet: ${fleetTenants} tenants on ${fleetHosts} hosts`,
            cores: os.cpus().length,
            seedGeneratorSeconds: seed === undefined ? null : Number(seed.toFixed(2)),
            oneHostSeconds: Number(oneHostSeconds.toFixed(2)),
            oneHostEvaluationSeconds: oneHost.seconds,
            oneHostMaxRssMb: oneHost.maxRssMb,
            allHostsParallelSeconds: Number(parallelSeconds.toFixed(2)),
            allHostsMaxRssMb: Math.max(...each.map((e) => e.maxRssMb)),
            seedOverOneHost: ratio(seed, oneHostSeconds),
            seedOverAllHostsParallel: ratio(seed, parallelSeconds),
        }),
    );
}

async function main(): Promise<void> {
    for (const tenants of process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["100", "1000"]) {
        process.stdout.write(evaluateOnce(Number(tenants), Number(tenants)));
    }
    await fleetCase();
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
