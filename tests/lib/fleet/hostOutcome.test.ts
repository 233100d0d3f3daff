import { fleetExitStatus, formatChanges, formatOutcomes } from "../../../lib/fleet/hostOutcome";

describe("formatChanges", () => {
    test("kinds with a count in a reader's order, same last", () => {
        expect(formatChanges({ same: 40, update: 2, create: 1, delete: 0, replace: 1 })).toBe(
            "1 create, 2 update, 1 replace, 40 same",
        );
        expect(formatChanges({ same: 3 })).toBe("3 same");
        expect(formatChanges({ refresh: 2, same: 1 })).toBe("2 refresh, 1 same");
        expect(formatChanges({})).toBe("no resources");
    });
});

describe("formatOutcomes", () => {
    test("a header, then a line per host, columns aligned", () => {
        const lines = formatOutcomes([
            { stack: "prod-fsn1-a", result: "ok", detail: "1 update, 40 same", seconds: 12.34 },
            { stack: "prod-hel1-a", result: "failed", detail: "error: boom", seconds: 3 },
        ]);
        expect(lines).toEqual([
            "HOST         RESULT  DURATION  DETAIL",
            "prod-fsn1-a  ok      12.3 s    1 update, 40 same",
            "prod-hel1-a  failed  3.0 s     error: boom",
        ]);
    });
});

describe("fleetExitStatus", () => {
    const host = (result: "ok" | "attention" | "failed") => ({ stack: "h", result, detail: "", seconds: 0 });
    test("a failure wins over attention, attention over success", () => {
        expect(fleetExitStatus([host("ok"), host("ok")])).toBe(0);
        expect(fleetExitStatus([host("ok"), host("attention")])).toBe(3);
        expect(fleetExitStatus([host("attention"), host("failed")])).toBe(1);
        expect(fleetExitStatus([])).toBe(0);
    });
});
