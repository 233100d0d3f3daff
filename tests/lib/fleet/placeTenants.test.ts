import { PlacementHost, UnplacedTenant, placeTenants } from "../../../lib/fleet/placeTenants";
import { serverTypeInfosFixture } from "../../support/serverTypes";
import { tenantOf } from "../../support/tenantFiles";

const cx22 = serverTypeInfosFixture.find((t) => t.name === "cx22")!;

/** A Hetzner host: a cx22 (4096 MB, 512 kept for the OS) with a 10 GB data Volume, by default. */
function host(stack: string, overrides: Partial<PlacementHost> = {}): PlacementHost {
    return {
        stack,
        tenantsDir: "tenants",
        memoryMb: cx22.memoryMb,
        reservedMb: 512,
        sizeKey: `Pulumi.${stack}.yaml: zeptoclaw-fleet:serverType`,
        label: `server type cx22 (${cx22.memoryMb} MB)`,
        current: cx22,
        location: "fsn1",
        dataVolumeGb: 10,
        tenants: [],
        ...overrides,
    };
}

/** A tenant waiting in `prod` at stacks[1], its reservation and disk limit as given. */
function waiting(name: string, memoryReservationMb = 32, diskMb = 1024): UnplacedTenant {
    return {
        tenant: tenantOf(name, {
            resources: { memoryReservationMb, memoryMb: Math.max(128, memoryReservationMb), diskMb },
        }),
        tenantsDir: "tenants",
        index: 1,
    };
}

const place = (hosts: PlacementHost[], unplaced: UnplacedTenant[]) =>
    placeTenants({
        environment: "prod",
        hosts,
        unplaced,
        probeIntervalSeconds: 30,
        serverTypes: serverTypeInfosFixture,
    });

describe("placeTenants", () => {
    test("each tenant goes to the host with the most free memory, counting those placed before it", () => {
        const busy = host("prod-a", {
            tenants: [tenantOf("old", { resources: { memoryReservationMb: 1000, memoryMb: 1000 } })],
        });
        const result = place([busy, host("prod-b")], [waiting("shop-x", 2000), waiting("shop-y", 1000)]);
        // prod-a has 3584 - 1004 = 2580 MB free, prod-b 3584: shop-x takes prod-b (1580 left),
        // then shop-y prefers prod-a (2580 > 1580).
        expect(result).toEqual({
            ok: true,
            placements: [
                expect.objectContaining({
                    stack: "prod-b",
                    freeMb: 3584 - 2004,
                    freeDiskMb: 10240 - 1024,
                    index: 1,
                }),
                expect.objectContaining({
                    stack: "prod-a",
                    freeMb: 2580 - 1004,
                    freeDiskMb: 10240 - 1024 - 1024,
                }),
            ],
        });
        expect(result.ok && result.placements.map((p) => p.tenant.name)).toEqual(["shop-x", "shop-y"]);
    });

    test("a host whose data Volume cannot hold the tenant's disk limit is skipped, however much memory it has", () => {
        const full = host("prod-a", {
            dataVolumeGb: 10,
            tenants: [tenantOf("old", { resources: { diskMb: 9 * 1024 } })],
        });
        const small = host("prod-b", {
            tenants: [tenantOf("big", { resources: { memoryReservationMb: 2000, memoryMb: 2000 } })],
        });
        const result = place([full, small], [waiting("shop-x", 32, 2048)]);
        expect(result.ok && result.placements.map((p) => p.stack)).toEqual(["prod-b"]);
    });

    test("tenants on the hosts stay where they are; only the waiting ones are placed", () => {
        const a = host("prod-a", { tenants: [tenantOf("old-a")] });
        const b = host("prod-b", { tenants: [tenantOf("old-b"), tenantOf("old-c")] });
        const result = place([a, b], [waiting("shop-x")]);
        expect(result.ok && result.placements.map((p) => [p.tenant.name, p.stack])).toEqual([
            ["shop-x", "prod-a"],
        ]);
        expect(a.tenants.map((t) => t.name)).toEqual(["old-a"]);
        expect(b.tenants.map((t) => t.name)).toEqual(["old-b", "old-c"]);
    });

    test("ties go to the first stack by name, and tenants are placed in file name order, whatever the input order", () => {
        const result = place(
            [host("prod-c"), host("prod-a"), host("prod-b")],
            [waiting("shop-b"), waiting("shop-a"), waiting("shop-c")],
        );
        expect(result.ok && result.placements.map((p) => `${p.tenant.name} ${p.stack}`)).toEqual([
            "shop-a prod-a",
            "shop-b prod-b",
            "shop-c prod-c",
        ]);
    });

    test("a tenant only goes to hosts that read its folder", () => {
        const other = host("prod-a", { tenantsDir: "tenants-eu" });
        const result = place(
            [
                other,
                host("prod-b", {
                    tenants: [tenantOf("old", { resources: { memoryReservationMb: 3000, memoryMb: 3000 } })],
                }),
            ],
            [waiting("shop-x")],
        );
        expect(result.ok && result.placements.map((p) => p.stack)).toEqual(["prod-b"]);
    });

    test("when one tenant fits nowhere, nothing is placed: the refusal names it, its needs and the server type to add", () => {
        const result = place(
            [host("prod-a"), host("prod-b")],
            [waiting("shop-a"), waiting("shop-x", 3600), waiting("shop-z")],
        );
        expect(result.ok).toBe(false);
        const message = result.ok ? "" : result.message;
        expect(message).toMatch(/^nothing placed, no file written: 1 tenant fits on no host of prod:\n/);
        expect(message).toContain(
            "tenants/shop-x.yaml needs 3604 MB of memory (its memoryReservationMb 3600 MB plus 4 MB of runtime overhead, a limit of 3600 MB) and 1024 MB of disk; left: prod-a 3548 MB and 9216 MB of disk free, prod-b 3548 MB and 9216 MB of disk free",
        );
        // 512 MB kept for the OS + 3604 MB: the cx32 (8192 MB) is the smallest x86 type holding it.
        expect(message).toContain(
            "add a host stack with serverType cx32 (8192 MB) and zeptoclaw-fleet:environment: prod (copy a Pulumi.<stack>.yaml of prod), then run npm run fleet -- place -e prod again",
        );
        expect(message).not.toContain("shop-a.yaml");
    });

    test("without server types (local hosts), the refusal says how much memory the host to add needs", () => {
        const local = (stack: string) =>
            host(stack, { current: undefined, location: undefined, dataVolumeGb: undefined, memoryMb: 1024 });
        const result = placeTenants({
            environment: "prod",
            hosts: [local("prod-a")],
            unplaced: [waiting("shop-x", 600)],
            probeIntervalSeconds: 30,
        });
        expect(result.ok ? "" : result.message).toContain(
            "add a host stack with at least 1116 MB of memory (512 MB of it kept for the OS) and zeptoclaw-fleet:environment: prod",
        );
    });
});
