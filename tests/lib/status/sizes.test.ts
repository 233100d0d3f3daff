import { formatAge, formatUtcMinute } from "../../../lib/status/age";
import { formatBytes, formatMiB, parseDockerSize } from "../../../lib/status/sizes";

describe("parseDockerSize", () => {
    test("reads the binary units of docker stats and the decimal units of docker system df", () => {
        expect(parseDockerSize("564KiB")).toBe(564 * 1024);
        expect(parseDockerSize("18.2MiB")).toBe(Math.round(18.2 * 1024 * 1024));
        expect(parseDockerSize("1.5GiB")).toBe(1.5 * 1024 ** 3);
        expect(parseDockerSize("0B")).toBe(0);
        expect(parseDockerSize("27B")).toBe(27);
        expect(parseDockerSize("12.3kB")).toBe(12300);
        expect(parseDockerSize("1.23GB")).toBe(1.23e9);
        expect(parseDockerSize(" 256MiB ")).toBe(256 * 1024 * 1024);
    });

    test("gives undefined for what is not a size", () => {
        expect(parseDockerSize("N/A")).toBeUndefined();
        expect(parseDockerSize("--")).toBeUndefined();
        expect(parseDockerSize("12 parsecs")).toBeUndefined();
        expect(parseDockerSize("")).toBeUndefined();
    });
});

describe("formatMiB and formatBytes", () => {
    test("MiB with one decimal, whole numbers without", () => {
        expect(formatMiB(256 * 1024 * 1024)).toBe("256");
        expect(formatMiB(Math.round(18.2 * 1024 * 1024))).toBe("18.2");
        expect(formatMiB(0)).toBe("0");
    });

    test("the largest binary unit that keeps the number at least 1", () => {
        expect(formatBytes(0)).toBe("0 B");
        expect(formatBytes(1023)).toBe("1023 B");
        expect(formatBytes(4096)).toBe("4.0 KiB");
        expect(formatBytes(12.5 * 1024 * 1024)).toBe("12.5 MiB");
        expect(formatBytes(1.2 * 1024 ** 3)).toBe("1.2 GiB");
    });
});

describe("formatAge", () => {
    test("the largest whole unit, hours up to two days", () => {
        expect(formatAge(0)).toBe("0s ago");
        expect(formatAge(42_000)).toBe("42s ago");
        expect(formatAge(5 * 60_000 + 59_000)).toBe("5m ago");
        expect(formatAge(7 * 3_600_000)).toBe("7h ago");
        expect(formatAge(47 * 3_600_000)).toBe("47h ago");
        expect(formatAge(3 * 86_400_000 + 5_000)).toBe("3d ago");
    });

    test("a little clock skew reads as now; more as the future", () => {
        expect(formatAge(-30_000)).toBe("0s ago");
        expect(formatAge(-3_600_000)).toBe("in the future");
    });

    test("formatUtcMinute prints UTC to the minute", () => {
        expect(formatUtcMinute(new Date("2026-11-28T02:00:59.999Z"))).toBe("2026-11-28 02:00 UTC");
    });
});
