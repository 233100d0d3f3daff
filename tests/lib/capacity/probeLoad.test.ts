import { ServerTypeInfo } from "../../../lib/capacity/capacity";
import {
    maxProbeCpuShare,
    measuredProbeCpuMs,
    probeCpuCores,
    probeLoadProblems,
} from "../../../lib/capacity/probeLoad";

function serverType(name: string, cores: number, memoryMb: number, extra: Partial<ServerTypeInfo> = {}) {
    return { name, cores, memoryMb, architecture: "x86", deprecated: false, locations: ["fsn1"], ...extra };
}

const cx22 = serverType("cx22", 2, 4096);
const serverTypes = [
    cx22,
    serverType("cx32", 4, 8192),
    serverType("cx42", 8, 16384),
    serverType("cax31", 8, 16384, { architecture: "arm" }),
    serverType("cx41", 4, 16384, { deprecated: true }),
    serverType("ccx23", 4, 16384, { locations: ["ash"] }),
];

/** The most tenants whose probes fit `cores` at one probe every 30 s. */
const tenantsWithin = (cores: number) =>
    Math.floor((maxProbeCpuShare * cores * 30 * 1000) / measuredProbeCpuMs);

describe("probeCpuCores", () => {
    test("is probes per second times CPU seconds per probe", () => {
        expect(probeCpuCores(200, 30, 60)).toBeCloseTo(0.4, 10);
        expect(probeCpuCores(50, 10, 20)).toBeCloseTo(0.1, 10);
    });

    test("uses the measured cost per probe unless told otherwise", () => {
        expect(probeCpuCores(1000, 1)).toBeCloseTo(measuredProbeCpuMs, 10);
    });
});

describe("probeLoadProblems", () => {
    const input = {
        intervalSeconds: 30,
        current: cx22,
        serverTypes,
        location: "fsn1",
        sizeKey: "fleet:serverType",
    };

    test("accepts as many tenants as keep the probes within their share of the cores", () => {
        expect(probeLoadProblems({ ...input, tenantCount: tenantsWithin(2) })).toEqual([]);
    });

    test("refuses one tenant more, naming the key, the load and a server type with enough cores", () => {
        const tenantCount = tenantsWithin(2) + 1;
        const [problem, ...rest] = probeLoadProblems({ ...input, tenantCount });
        expect(rest).toEqual([]);
        expect(problem.where).toBe("fleet:serverType");
        expect(problem.message).toContain(`the health probes of ${tenantCount} tenants`);
        expect(problem.message).toContain("of the 2 cores of server type cx22");
        // cx32 has the 4 cores needed; deprecated, ARM and unorderable types are never offered.
        expect(problem.message).toContain(
            "use server type cx32 (4 cores): pulumi config set fleet:serverType cx32",
        );
    });

    test("without a type that has enough cores, says to split the tenants", () => {
        const [problem] = probeLoadProblems({ ...input, tenantCount: tenantsWithin(8) + 1 });
        expect(problem.message).toMatch(/split the tenants across hosts$/);
    });

    test("a longer probe interval takes less of the host", () => {
        const tenantCount = tenantsWithin(2) + 1;
        expect(probeLoadProblems({ ...input, tenantCount, intervalSeconds: 60 })).toEqual([]);
    });

    test("a local engine, whose machine the program does not size, is not checked", () => {
        expect(
            probeLoadProblems({ tenantCount: 100_000, intervalSeconds: 30, sizeKey: "fleet:hostMemoryMb" }),
        ).toEqual([]);
    });
});
