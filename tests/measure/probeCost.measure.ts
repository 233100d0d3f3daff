/**
 * `npm run bench:engine` (this file and capacity.measure.ts): what Docker's health probes cost
 * the host. For each tenant count (PROBE_TENANTS, default "50,200") it deploys that many idle
 * stand-in tenants twice through the engine suite's adapter: once as declared, once with the
 * healthcheck removed. The engine's CPU over the same window in both runs (its own processes
 * only, so whatever else the machine runs does not count), divided by the probes Docker ran in
 * the window (from each container's health log), is the CPU one probe costs: the exec through
 * dockerd, containerd, the shim and runc, and the probe command itself. Prints JSON; asserts
 * nothing about time.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { ProgramRun } from "../support/runProgram";
import { EngineAdapter, removeLabelled } from "../engine/support/engineAdapter";
import { idleFleet } from "./idleFleet";

jest.setTimeout(90 * 60_000);

const counts = (process.env.PROBE_TENANTS ?? "50,200").split(",").map(Number);
const windowSeconds = Number(process.env.PROBE_WINDOW_SECONDS ?? "120");
const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * CPU seconds the engine's processes have used: dockerd, containerd and every container's shim,
 * with what their reaped children used (runc, and the probe command: runc exits after starting
 * an exec, the shim, a child subreaper, inherits and reaps it). The tenants' own processes are
 * not counted (the shim has not reaped them), nor is anything else this machine runs.
 */
function engineCpuSeconds(): number {
    let ticks = 0;
    for (const pid of fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
        let stat: string;
        try {
            stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        } catch {
            continue; // gone since the listing
        }
        const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        if (comm !== "dockerd" && comm !== "containerd" && !comm.startsWith("containerd-shim")) {
            continue;
        }
        // After "(comm) ": state is field 3 of proc(5); utime, stime, cutime, cstime are 14 to 17.
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        ticks += fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0);
    }
    // USER_HZ is 100 on every Linux architecture Docker runs on.
    return ticks / 100;
}

/** CPU seconds the engine's processes use over the next `seconds`. */
async function engineCpuOver(seconds: number): Promise<number> {
    const before = engineCpuSeconds();
    await settle(seconds * 1000);
    return engineCpuSeconds() - before;
}

/** The run with every container's healthcheck (and the wait on it) removed. */
function withoutProbes(run: ProgramRun): ProgramRun {
    return {
        ...run,
        resources: run.resources.map((r) => {
            if (r.type !== "docker:index/container:Container" || r.inputs.healthcheck === undefined) {
                return r;
            }
            const inputs = Object.fromEntries(
                Object.entries(r.inputs).filter(([key]) => key !== "healthcheck"),
            );
            return { ...r, inputs: { ...inputs, wait: false } };
        }),
    };
}

async function probesBetween(names: string[], from: Date, to: Date): Promise<number> {
    let probes = 0;
    for (const n of names) {
        const { State } = await docker.getContainer(`zc-${n}`).inspect();
        const log: { Start: string }[] = State.Health?.Log ?? [];
        probes += log.filter((entry) => {
            const start = new Date(entry.Start);
            return start >= from && start < to;
        }).length;
    }
    return probes;
}

async function measure(count: number): Promise<Record<string, number>> {
    const configRoot = fs.mkdtempSync(path.join(os.tmpdir(), "zc-probes-"));
    const { names, run } = await idleFleet("p", count, configRoot);
    const interval = run.byType("docker:index/container:Container").find((c) => c.inputs.healthcheck)?.inputs
        .healthcheck.interval as string;
    try {
        await new EngineAdapter(docker, `probes-${process.pid}`).apply(withoutProbes(run));
        await settle(20_000);
        const baseline = await engineCpuOver(windowSeconds);
        await removeLabelled(docker);

        await new EngineAdapter(docker, `probes-${process.pid}`).apply(run);
        // Past every tenant's first probe, so the window sees the steady rhythm.
        await settle(20_000);
        const from = new Date();
        const probed = await engineCpuOver(windowSeconds);
        const to = new Date();
        const probes = await probesBetween(names, from, to);
        const cpuMsPerProbe = ((probed - baseline) * 1000) / probes;
        const probesPerSecond = probes / windowSeconds;
        return {
            tenants: count,
            windowSeconds,
            healthcheckIntervalSeconds: Number.parseInt(interval, 10),
            engineCpuSecondsWithoutProbes: Number(baseline.toFixed(2)),
            engineCpuSecondsWithProbes: Number(probed.toFixed(2)),
            probes,
            probesPerSecond: Number(probesPerSecond.toFixed(2)),
            cpuMsPerProbe: Number(cpuMsPerProbe.toFixed(1)),
            probeCpuCores: Number(((probesPerSecond * cpuMsPerProbe) / 1000).toFixed(3)),
        };
    } finally {
        await removeLabelled(docker);
        fs.rmSync(configRoot, { recursive: true, force: true });
    }
}

test(`health probe cost for ${counts.join(" and ")} tenants`, async () => {
    const results = [];
    for (const count of counts) {
        results.push(await measure(count));
    }
    console.log(JSON.stringify({ cores: os.cpus().length, results }, null, 2));
});
