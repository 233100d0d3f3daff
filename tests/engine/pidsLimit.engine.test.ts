import Docker from "dockerode";
import { labelKeys } from "../../lib/docker/labels";
import { removeLabelled, testLabel } from "./support/engineAdapter";
import { eventually, execIn } from "./support/engineHelpers";
import { PidsLimitService, startPidsLimitService } from "./support/pidsLimitService";

// The host's PidsLimit service (lib/host/pidsLimit.ts), its script run as systemd would run it,
// against this machine's engine.
jest.setTimeout(5 * 60_000);

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const runId = `pids-${process.pid}-${Date.now()}`;
let service: PidsLimitService | undefined;

async function container(name: string, role: string, limit: number): Promise<Docker.Container> {
    const c = await docker.createContainer({
        name,
        Image: "zeptoclaw-fleet/debian-base:bookworm",
        Cmd: ["sleep", "600"],
        Labels: { [testLabel]: runId, [labelKeys.role]: role, [labelKeys.pidsLimit]: String(limit) },
        HostConfig: { NetworkMode: "none" },
    });
    await c.start();
    return c;
}

async function pidsLimitOf(c: Docker.Container): Promise<number | null | undefined> {
    return (await c.inspect()).HostConfig.PidsLimit;
}

afterAll(async () => {
    service?.stop();
    await removeLabelled(docker, runId);
});

test("gateways there before it starts and gateways created after both get their label's PidsLimit, enforced by the kernel", async () => {
    const before = await container(`zc-pids-before-${process.pid}`, "gateway", 64);
    const owner = await container(`zc-pids-owner-${process.pid}`, "data-owner", 50);
    expect(await pidsLimitOf(before)).toBeFalsy();

    const running = startPidsLimitService();
    service = running;

    await eventually(
        "the existing gateway has PidsLimit 64",
        30_000,
        async () => (await pidsLimitOf(before)) === 64,
    );
    const after = await container(`zc-pids-after-${process.pid}`, "gateway", 80);
    await eventually(
        "the new gateway has PidsLimit 80",
        30_000,
        async () => (await pidsLimitOf(after)) === 80,
    );

    // The limit is the container's own pids cgroup (v1 or v2, whichever the engine runs).
    const max = await execIn(docker, `zc-pids-after-${process.pid}`, [
        "sh",
        "-c",
        "cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max",
    ]);
    expect(max.output.trim()).toBe("80");
    // A container of another role is not a gateway: left as it is.
    expect(await pidsLimitOf(owner)).toBeFalsy();
    expect(running.output().trim().split("\n").sort()).toEqual([
        `/zc-pids-after-${process.pid}: PidsLimit 80`,
        `/zc-pids-before-${process.pid}: PidsLimit 64`,
    ]);
    expect(running.running()).toBe(true);
});
