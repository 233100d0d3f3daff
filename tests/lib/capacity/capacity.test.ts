import { capacityProblems, smallestServerTypeHolding, tenantsThatFit } from "../../../lib/capacity/capacity";
import { tenantOf as tenant } from "../../support/tenantFiles";

describe("capacity", () => {
    const types = [
        {
            name: "cx22",
            memoryMb: 4096,
            cores: 2,
            architecture: "x86",
            deprecated: false,
            locations: ["fsn1"],
        },
        {
            name: "cax31",
            memoryMb: 16384,
            cores: 8,
            architecture: "arm",
            deprecated: false,
            locations: ["fsn1"],
        },
        {
            name: "cx42",
            memoryMb: 16384,
            cores: 8,
            architecture: "x86",
            deprecated: false,
            locations: ["fsn1"],
        },
        {
            name: "cx32",
            memoryMb: 8192,
            cores: 4,
            architecture: "x86",
            deprecated: false,
            locations: ["nbg1"],
        },
    ];
    const fleet = (n: number) => Array.from({ length: n }, (_, i) => tenant(`t-${i}`));

    test("a fleet that fits passes", () => {
        expect(
            capacityProblems({
                tenants: fleet(10),
                hostMemoryMb: 4096,
                reservedMb: 512,
                sizeKey: "k",
                hostLabel: "h",
            }),
        ).toEqual([]);
    });

    test("a fleet that does not fit says how many fit and which server type holds them", () => {
        const [problem] = capacityProblems({
            tenants: fleet(150),
            hostMemoryMb: 4096,
            reservedMb: 512,
            overheadMb: 4,
            sizeKey: "zeptoclaw-fleet:serverType",
            hostLabel: "server type cx22 (4096 MB)",
            serverTypes: types,
            current: types[0],
            location: "fsn1",
        });
        expect(problem.where).toBe("zeptoclaw-fleet:serverType");
        // 150 × (32 + 4) = 5400 MB needed; 3584 MB usable → 99 fit; 5912 MB total → cx42 (cx32 is not in fsn1, cax31 is arm).
        expect(problem.message).toBe(
            "150 tenants need 5400 MB (memory reservations plus 4 MB of runtime overhead each), but server type cx22 (4096 MB) has 3584 MB for tenants after 512 MB kept for the OS: only 99 of them fit. Server type cx42 (16384 MB) would hold them: pulumi config set zeptoclaw-fleet:serverType cx42",
        );
    });

    test("on a local host it says how much memory is needed", () => {
        const [problem] = capacityProblems({
            tenants: fleet(200),
            hostMemoryMb: 2048,
            reservedMb: 512,
            overheadMb: 4,
            sizeKey: "zeptoclaw-fleet:hostMemoryMb",
            hostLabel: "host local",
        });
        expect(problem.message).toMatch(
            /only 42 of them fit\. Give the host at least 7712 MB and set zeptoclaw-fleet:hostMemoryMb/,
        );
    });

    test("a tenant whose limit is above the host is refused in its own file", () => {
        const big = tenant("big", { resources: { memoryMb: 8192, memoryReservationMb: 64 } });
        expect(
            capacityProblems({
                tenants: [big],
                hostMemoryMb: 4096,
                reservedMb: 512,
                sizeKey: "k",
                hostLabel: "server type cx22 (4096 MB)",
            }),
        ).toEqual([
            {
                where: "tenants/big.yaml",
                path: "resources.memoryMb",
                message:
                    "is 8192 MB, above the 3584 MB the host can give tenants (server type cx22 (4096 MB), 512 MB kept for the OS); lower it or use a larger host",
            },
        ]);
    });

    test("helpers", () => {
        expect(tenantsThatFit([50, 10, 30], 45)).toBe(2);
        expect(smallestServerTypeHolding(100_000, types, "x86")).toBeUndefined();
    });
});
