/**
 * `npm run bench:engine`: deploys N idle tenants (default 50) of the stand-in on the real engine
 * through the same adapter as the engine suite, and prints host memory per idle tenant (the
 * delta of used memory over N, containerd shim included), the stand-in process's own memory
 * (RSS and PSS), and
 * the time a tenant's container takes to start. Not part of `npm test`: it measures, it asserts
 * nothing about time.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { EngineAdapter, removeLabelled } from "../engine/support/engineAdapter";
import { idleFleet } from "./idleFleet";

jest.setTimeout(30 * 60_000);

const count = Number(process.env.TENANTS ?? "50");
const docker = new Docker({ socketPath: "/var/run/docker.sock" });

/** Used memory in MB as `free` computes it: MemTotal - MemAvailable, after dropping caches. */
function usedMemoryMb(): number {
    fs.writeFileSync("/proc/sys/vm/drop_caches", "3");
    const info = fs.readFileSync("/proc/meminfo", "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(info)?.[1]);
    return (kb("MemTotal") - kb("MemAvailable")) / 1024;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

test(`measure ${count} idle tenants`, async () => {
    const configRoot = fs.mkdtempSync(path.join(os.tmpdir(), "zc-measure-"));
    const adapter = new EngineAdapter(docker, `measure-${process.pid}`);
    const { names, run } = await idleFleet("m", count, configRoot);
    try {
        // Build the image and the network first, so the baseline includes them.
        await adapter.apply({
            ...run,
            resources: run.resources.filter(
                (r) => !r.type.includes("container") && !r.type.includes("volume"),
            ),
        });
        await settle(5000);
        const before = usedMemoryMb();
        await adapter.apply(run);
        await settle(15000);
        const after = usedMemoryMb();

        // PSS shares the pages 50 copies of Python have in common among them; RSS counts them 50 times.
        const pss: number[] = [];
        const rss: number[] = [];
        for (const n of names) {
            const { State } = await docker.getContainer(`zc-${n}`).inspect();
            const rollup = fs.readFileSync(`/proc/${State.Pid}/smaps_rollup`, "utf8");
            const mb = (key: string) =>
                Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(rollup)?.[1]) / 1024;
            pss.push(mb("Pss"));
            rss.push(mb("Rss"));
        }

        const startMs: number[] = [];
        for (const n of names) {
            const container = docker.getContainer(`zc-${n}`);
            await container.stop({ t: 10 });
            const t0 = process.hrtime.bigint();
            await container.start();
            startMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }

        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        const perTenant = (after - before) / count;
        console.log(
            JSON.stringify(
                {
                    tenants: count,
                    usedMemoryBeforeMb: Math.round(before),
                    usedMemoryAfterMb: Math.round(after),
                    hostMemoryPerIdleTenantMb: Number(perTenant.toFixed(1)),
                    standInRssMeanMb: Number(mean(rss).toFixed(1)),
                    standInPssMeanMb: Number(mean(pss).toFixed(1)),
                    overheadPerTenantMb: Number((perTenant - mean(pss)).toFixed(1)),
                    containerStartMeanMs: Math.round(mean(startMs)),
                    containerStartMaxMs: Math.round(Math.max(...startMs)),
                },
                null,
                2,
            ),
        );
    } finally {
        await removeLabelled(docker);
        fs.rmSync(configRoot, { recursive: true, force: true });
    }
});
