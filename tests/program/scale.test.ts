import { runProgram } from "../support/runProgram";
import { fleet } from "../support/tenantFiles";

// Several tens of seconds under mocks on a 2-core machine; `npm run bench` prints the timing.
jest.setTimeout(300_000);

test("1000 tenants evaluate without error, with four resources each", async () => {
    const names = Array.from({ length: 1000 }, (_, i) => `tenant-${String(i).padStart(4, "0")}`);
    const run = await runProgram({ ...fleet(names), config: { hostMemoryMb: 64 * 1024 }, preview: true });
    expect(run.byType("docker:index/volume:Volume")).toHaveLength(1000);
    // 1000 gateways, 1000 data owners and one config writer for the host.
    expect(run.byType("docker:index/container:Container")).toHaveLength(2001);
    expect(Object.keys(run.outputs.tenants as object)).toHaveLength(1000);
});
