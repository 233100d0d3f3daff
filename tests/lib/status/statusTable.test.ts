import { allDeclaredHealthy, statusRows, summarize } from "../../../lib/status/statusRows";
import {
    formatCount,
    formatStatusTable,
    formatSummary,
    printable,
    statusCells,
} from "../../../lib/status/statusTable";
import { container, declared, facts, mib, now } from "../../support/statusFacts";

describe("statusRows", () => {
    test("declared tenants by name, missing ones included, then containers the stack no longer declares", () => {
        const rows = statusRows(
            declared("shop-b", "shop-a", "shop-c"),
            facts([container("old-shop"), container("shop-a"), container("shop-b", { state: "exited" })]),
        );
        expect(rows.map((r) => [r.tenant, r.declared, r.container?.state ?? "missing"])).toEqual([
            ["shop-a", true, "running"],
            ["shop-b", true, "exited"],
            ["shop-c", true, "missing"],
            ["old-shop", false, "running"],
        ]);
        // A stopped container is not measured; a missing tenant's volume may still be there.
        expect(rows[1].usage).toBeUndefined();
        expect(rows[2]).toEqual({
            tenant: "shop-c",
            declared: true,
            dataBytes: undefined,
            backup: { kind: "no container" },
        });
    });

    test("what could not be read is unknown, not zero", () => {
        const [row] = statusRows(
            declared("shop-a"),
            facts([container("shop-a")], { usage: new Map(), volumeSizes: undefined, backups: new Map() }),
        );
        expect(row.usage).toBe("unknown");
        expect(row.dataBytes).toBe("unknown");
        expect(row.backup).toEqual({ kind: "unreadable", reason: "not read" });
    });

    test("an adopted volume's size is found by the volume the container mounts", () => {
        const [row] = statusRows(
            [{ name: "shop-a", container: "zc-shop-a", volume: "compose_shop-a" }],
            facts([container("shop-a", { dataVolume: "compose_shop-a" })], {
                volumeSizes: new Map([["compose_shop-a", 10 * mib]]),
            }),
        );
        expect(row.dataBytes).toBe(10 * mib);
    });

    test("the summary counts declared tenants running, unhealthy and missing", () => {
        const rows = statusRows(
            declared("a", "b", "c", "d"),
            facts([
                container("a"),
                container("b", { health: "unhealthy" }),
                container("c", { state: "restarting", restartCount: 7 }),
                container("gone", { health: "unhealthy" }),
            ]),
        );
        const summary = summarize(rows);
        expect(summary).toEqual({ declared: 4, running: 2, unhealthy: 1, missing: 1, notDeclared: 1 });
        expect(formatSummary(summary)).toBe("4 declared: 2 running, 1 unhealthy, 1 missing; 1 not declared");
        expect(formatSummary({ ...summary, notDeclared: 0 })).toBe(
            "4 declared: 2 running, 1 unhealthy, 1 missing",
        );
    });
});

describe("statusCells", () => {
    test("a running tenant: usage against its limits, data size, backup", () => {
        const [row] = statusRows(
            declared("shop-a"),
            facts([container("shop-a", { restartCount: 2 })], {
                backups: new Map([
                    [
                        "shop-a-id",
                        {
                            kind: "recorded",
                            record: {
                                time: new Date("2026-11-28T02:00:00Z"),
                                snapshot: "a1b2c3d4",
                                bytes: 1,
                            },
                        },
                    ],
                ]),
            }),
        );
        expect(statusCells(row, now)).toEqual([
            "shop-a",
            "running",
            "healthy",
            "2",
            "18.2/256 MiB",
            "0.3%/0.50 cpu",
            "4.0 KiB",
            "2026-11-28 02:00 UTC (13h ago)",
            "?",
            "?",
            "?",
            "?",
            "?",
        ]);
    });

    test("what the gateway reported on its newest probe: rss, requests, tokens in/out, tool calls, errors", () => {
        const report = {
            rssBytes: 8404992,
            usage: { requests: 12, toolCalls: 4, inputTokens: 25_400, outputTokens: 3_000_000, errors: 1 },
            at: now,
        };
        const [running, stopped] = statusRows(
            declared("a", "b"),
            facts([container("a", { report }), container("b", { state: "exited", report })]),
        );
        expect(statusCells(running, now).slice(8)).toEqual(["8.0 MiB", "12", "25.4k/3.0M", "4", "1"]);
        // A stopped gateway's last report is not its state now.
        expect(statusCells(stopped, now).slice(8)).toEqual(["-", "-", "-", "-", "-"]);
        expect(
            statusCells(
                statusRows(
                    declared("a"),
                    facts([container("a", { report: { ...report, rssBytes: undefined } })]),
                )[0],
                now,
            ).slice(8, 9),
        ).toEqual(["?"]);
    });

    test("stopped, missing, unmeasured, unlimited and undeclared tenants", () => {
        const rows = statusRows(
            declared("a", "b", "c"),
            facts(
                [
                    container("a", { state: "exited", health: "unhealthy" }),
                    container("c", { memoryLimit: 0, nanoCpus: 0 }),
                    container("old"),
                ],
                { usage: new Map([["old-id", { memoryUsed: 0, cpuPercent: 0 }]]) },
            ),
        );
        expect(rows.map((r) => statusCells(r, now))).toEqual([
            ["a", "exited", "-", "0", "-/256 MiB", "-/0.50 cpu", "4.0 KiB", "never", "-", "-", "-", "-", "-"],
            ["b", "missing", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"],
            [
                "c",
                "running",
                "healthy",
                "0",
                "?/no limit",
                "?/no limit",
                "4.0 KiB",
                "never",
                "?",
                "?",
                "?",
                "?",
                "?",
            ],
            [
                "old (not declared)",
                "running",
                "healthy",
                "0",
                "0/256 MiB",
                "0.0%/0.50 cpu",
                "4.0 KiB",
                "never",
                "?",
                "?",
                "?",
                "?",
                "?",
            ],
        ]);
    });
});

describe("formatStatusTable", () => {
    test("a header, then one line per row, columns aligned", () => {
        const rows = statusRows(declared("shop-a", "b"), facts([container("shop-a")]));
        const lines = formatStatusTable(rows, now);
        expect(lines).toHaveLength(3);
        expect(lines[0].split(/\s{2,}/)).toEqual([
            "TENANT",
            "STATE",
            "HEALTH",
            "RESTARTS",
            "MEMORY",
            "CPU",
            "DATA",
            "LAST-BACKUP",
            "RSS",
            "REQUESTS",
            "TOKENS-IN/OUT",
            "TOOL-CALLS",
            "ERRORS",
        ]);
        expect(lines[1].split(/\s{2,}/)).toEqual([
            "b",
            "missing",
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
        ]);
        expect(lines[1].indexOf("missing")).toBe(lines[0].indexOf("STATE"));
        expect(lines[2].indexOf("running")).toBe(lines[0].indexOf("STATE"));
        expect(lines[2].indexOf("18.2/256 MiB")).toBe(lines[0].indexOf("MEMORY"));
    });

    test("control characters from the engine never reach the terminal", () => {
        expect(printable("evil\u001b[2J\nline")).toBe("evil?[2J?line");
        const rows = statusRows([], facts([container("x\u001b[31m")]));
        expect(formatStatusTable(rows, now)[1]).not.toMatch(/\u001b/);
    });
});

describe("formatCount", () => {
    test("exact up to 9999, then thousands and millions with one decimal, never 1000.0k", () => {
        expect([0, 9999, 10_000, 12_345, 999_949, 999_950, 4_560_000].map(formatCount)).toEqual([
            "0",
            "9999",
            "10.0k",
            "12.3k",
            "999.9k",
            "1.0M",
            "4.6M",
        ]);
    });
});

describe("the exit status", () => {
    const summary = { declared: 3, running: 3, unhealthy: 0, missing: 0, notDeclared: 1 };
    test("is good only when every declared tenant runs and none is unhealthy", () => {
        expect(allDeclaredHealthy(summary)).toBe(true);
        expect(allDeclaredHealthy({ ...summary, running: 2, missing: 1 })).toBe(false);
        expect(allDeclaredHealthy({ ...summary, unhealthy: 1 })).toBe(false);
    });
});
