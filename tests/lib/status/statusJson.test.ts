import { statusJson } from "../../../lib/status/statusJson";
import { statusRows, summarize } from "../../../lib/status/statusRows";
import { container, declared, facts, mib, now } from "../../support/statusFacts";

describe("statusJson", () => {
    const report = {
        rssBytes: 8 * mib,
        usage: { requests: 12, toolCalls: 4, inputTokens: 5400, outputTokens: 1200, errors: 1 },
        at: new Date("2026-11-28T14:59:40Z"),
    };
    const rows = statusRows(
        declared("a", "b", "c"),
        facts(
            [
                container("a", { report, restartCount: 2 }),
                container("b", { state: "exited", health: "unhealthy", report }),
                container("old", { memoryLimit: 0, nanoCpus: 0 }),
            ],
            {
                backups: new Map([
                    [
                        "a-id",
                        {
                            kind: "recorded",
                            record: {
                                time: new Date("2026-11-28T02:00:00Z"),
                                snapshot: "a1b2c3d4",
                                bytes: 10,
                            },
                        },
                    ],
                    ["b-id", { kind: "malformed", reason: "not JSON" }],
                ]),
                volumeSizes: undefined,
            },
        ),
    );
    const json = statusJson("prod", rows, summarize(rows), now);

    test("one document: the stack, the time, the summary and a tenant per row in the table's order", () => {
        expect(json.stack).toBe("prod");
        expect(json.at).toBe("2026-11-28T15:00:00.000Z");
        expect(json.summary).toEqual({ declared: 3, running: 1, unhealthy: 0, missing: 1, notDeclared: 1 });
        expect(json.tenants.map((t) => [t.tenant, t.declared, t.state])).toEqual([
            ["a", true, "running"],
            ["b", true, "exited"],
            ["c", true, "missing"],
            ["old", false, "running"],
        ]);
    });

    test("a running tenant: numbers in bytes, CPUs and counts, the gateway's own report", () => {
        expect(json.tenants[0]).toEqual({
            tenant: "a",
            declared: true,
            state: "running",
            health: "healthy",
            restarts: 2,
            memory: { usedBytes: Math.round(18.2 * mib), limitBytes: 256 * mib },
            cpu: { percent: 0.3, limit: 0.5 },
            dataBytes: null,
            backup: { kind: "recorded", time: "2026-11-28T02:00:00.000Z", snapshot: "a1b2c3d4", bytes: 10 },
            gateway: {
                rssBytes: 8 * mib,
                requests: 12,
                toolCalls: 4,
                inputTokens: 5400,
                outputTokens: 1200,
                errors: 1,
                reportedAt: "2026-11-28T14:59:40.000Z",
            },
        });
    });

    test("null for what was not measured: a stopped, a missing and an unlimited tenant", () => {
        expect(json.tenants[1]).toMatchObject({
            health: null,
            memory: { usedBytes: null, limitBytes: 256 * mib },
            backup: { kind: "malformed", reason: "not JSON" },
            gateway: null,
        });
        expect(json.tenants[2]).toEqual({
            tenant: "c",
            declared: true,
            state: "missing",
            health: null,
            restarts: null,
            memory: { usedBytes: null, limitBytes: null },
            cpu: { percent: null, limit: null },
            dataBytes: null,
            backup: { kind: "no container" },
            gateway: null,
        });
        expect(json.tenants[3]).toMatchObject({
            memory: { limitBytes: null },
            cpu: { limit: null },
            backup: { kind: "unreadable", reason: "not read" },
            gateway: null,
        });
    });

    test("survives JSON.stringify unchanged: no Dates, no undefined", () => {
        expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    });
});
