import { previewTenantsAtOnce } from "../../lib/runtime/registrationWindow";
import { runProgram } from "../support/runProgram";
import { fleet } from "../support/tenantFiles";

/** How many tenants' volumes the engine received before the first tenant's gateway container. */
async function volumesBeforeFirstGateway(preview: boolean): Promise<number> {
    const names = Array.from({ length: 3 * previewTenantsAtOnce }, (_, i) => `tenant-${i}`);
    const run = await runProgram({ ...fleet(names), config: { hostMemoryMb: 64 * 1024 }, preview });
    const firstGateway = run.resources.findIndex((r) => r.name.endsWith("/gateway"));
    return run.resources.slice(0, firstGateway).filter((r) => r.type === "docker:index/volume:Volume").length;
}

// The mocks answer every registration at once, so what shows the window is the order in which
// the engine receives them: a tenant's container follows its volume (it mounts it by name).
test("a preview sends no more than a window of tenants before the first has registered", async () => {
    expect(await volumesBeforeFirstGateway(true)).toBeLessThanOrEqual(previewTenantsAtOnce);
});

test("an update declares every tenant at once", async () => {
    expect(await volumesBeforeFirstGateway(false)).toBe(3 * previewTenantsAtOnce);
});
