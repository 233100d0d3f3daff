import { describeDrain, planDrain } from "../../../lib/fleet/drainHost";
import { PlacementHost } from "../../../lib/fleet/placeTenants";
import { tenantOf } from "../../support/tenantFiles";

/** A local host of 2048 MB, 512 kept for the OS: 1536 MB for tenants (each its reservation + 4 MB). */
function host(stack: string, tenants: string[], memoryMb = 2048): PlacementHost {
    return {
        stack,
        tenantsDir: "tenants",
        memoryMb,
        reservedMb: 512,
        sizeKey: `Pulumi.${stack}.yaml: zeptoclaw-fleet:hostMemoryMb`,
        label: `host ${stack} (${memoryMb} MB)`,
        tenants: tenants.map((name) =>
            tenantOf(name, { resources: { memoryReservationMb: 296, memoryMb: 512 } }),
        ),
    };
}

const facts = (hosts: PlacementHost[], host = "prod-a") => ({
    host,
    environment: "prod",
    hosts,
    stackIndex: new Map<string, number>(),
    probeIntervalSeconds: 30,
});

describe("planDrain", () => {
    test("places each tenant of the host on the others by placement's rules, none on the host itself", () => {
        const planned = planDrain(
            facts([host("prod-a", ["a1", "a2", "a3"]), host("prod-b", ["b1"]), host("prod-c", [])]),
        );
        // Each takes 300 MB; prod-c (1536 free) takes the first, then prod-b and prod-c tie at
        // 1236 and the first name wins, then prod-c again (1236 > 936).
        expect(planned).toEqual({
            ok: true,
            plan: {
                host: "prod-a",
                environment: "prod",
                moves: [
                    { tenant: "a1", file: "tenants/a1.yaml", target: "prod-c" },
                    { tenant: "a2", file: "tenants/a2.yaml", target: "prod-b" },
                    { tenant: "a3", file: "tenants/a3.yaml", target: "prod-c" },
                ],
            },
        });
        expect(describeDrain(planned.ok ? planned.plan : ({} as never))).toEqual([
            "draining prod-a (environment prod): 3 tenant(s), one after the other",
            "  1 of 3: a1 (tenants/a1.yaml) to prod-c",
            "  2 of 3: a2 (tenants/a2.yaml) to prod-b",
            "  3 of 3: a3 (tenants/a3.yaml) to prod-c",
        ]);
    });

    test("an empty host has nothing to move", () => {
        const planned = planDrain(facts([host("prod-a", []), host("prod-b", [])]));
        expect(planned.ok && describeDrain(planned.plan)).toEqual(["prod-a runs no tenant: nothing to move"]);
    });

    test("refuses an unknown host, and the only host of its environment", () => {
        expect(planDrain(facts([host("prod-a", ["a1"])], "prod-x"))).toEqual({
            ok: false,
            message: '"prod-x" is not a host stack of environment "prod"',
        });
        const only = planDrain(facts([host("prod-a", ["a1"])]));
        expect(only.ok ? "" : only.message).toMatch(
            /^prod-a is the only host of "prod": its tenants have nowhere to go; add a host stack with zeptoclaw-fleet:environment: prod/,
        );
    });

    test("refuses when the other hosts lack room, saying how much memory is missing, and changes nothing", () => {
        // prod-a's four tenants need 1200 MB; prod-b has 1536 - 900 = 636 MB left.
        const planned = planDrain(
            facts([host("prod-a", ["a1", "a2", "a3", "a4"]), host("prod-b", ["b1", "b2", "b3"])]),
        );
        expect(planned.ok).toBe(false);
        const message = planned.ok ? "" : planned.message;
        expect(message).toMatch(
            /^the other hosts of "prod" cannot take prod-a's 4 tenant\(s\): they need 1200 MB of memory and 4096 MB of disk, the other hosts have 636 MB of memory left; 564 MB of memory is missing:\n/,
        );
        expect(message).toMatch(/tenants\/a3\.yaml needs 300 MB of memory/);
        expect(message).toMatch(
            /add a host stack with at least \d+ MB of memory .* then drain again; nothing was changed$/,
        );
    });
});
