import { latestReport, parseProbeOutput } from "../../../lib/status/tenantReport";

const end = new Date("2026-11-28T15:00:00Z");
const started = new Date("2026-11-28T14:00:00Z");

/** The body ZeptoClaw 0.9.2 writes on /healthz (src/health.rs `start_health_server_legacy`). */
function healthz(usage: Record<string, number>, memory = ',"memory":{"rss_bytes":8404992,"rss_mb":8.0}') {
    const counters = { requests: 0, tool_calls: 0, input_tokens: 0, output_tokens: 0, errors: 0, ...usage };
    return `{"status":"ok","version":"0.9.2"${memory},"usage":${JSON.stringify(counters)}}`;
}

describe("parseProbeOutput", () => {
    test("reads rss and the usage counters of a ready gateway, the /readyz body after them", () => {
        expect(
            parseProbeOutput(
                `${healthz({ requests: 12, tool_calls: 4, input_tokens: 5400, output_tokens: 1200, errors: 2 })}{"status":"ready"}`,
                end,
            ),
        ).toEqual({
            rssBytes: 8404992,
            usage: { requests: 12, toolCalls: 4, inputTokens: 5400, outputTokens: 1200, errors: 2 },
            at: end,
        });
    });

    test("a gateway that is not ready still reports (wget writes no 503 body)", () => {
        expect(parseProbeOutput(healthz({ requests: 3 }), end)?.usage.requests).toBe(3);
    });

    test("no memory section where upstream has no rss for the platform", () => {
        expect(parseProbeOutput(healthz({}, ""), end)).toEqual({
            rssBytes: undefined,
            usage: { requests: 0, toolCalls: 0, inputTokens: 0, outputTokens: 0, errors: 0 },
            at: end,
        });
    });

    test("outputs without a report are no report: failures, timeouts, other bodies, lies", () => {
        for (const output of [
            "",
            "wget: can't connect to remote host (127.0.0.1): Connection refused",
            "Health check exceeded timeout (5s)",
            '{"status":"ready"}',
            '{"status":"ok","version":"0.9.2"}',
            healthz({ requests: -1 }),
            healthz({ requests: 1.5 }),
            `${healthz({})}${healthz({})}`,
        ]) {
            expect({ output, report: parseProbeOutput(output, end) }).toEqual({ output, report: undefined });
        }
    });
});

describe("latestReport", () => {
    const probe = (at: string, requests?: number) => ({
        end: at,
        output: requests === undefined ? "" : healthz({ requests }),
    });

    test("the newest probe that carried a report, whatever the order Docker lists them in", () => {
        expect(
            latestReport(
                [
                    probe("2026-11-28T14:01:00.123456789Z", 5),
                    probe("2026-11-28T14:02:00Z", 9),
                    probe("2026-11-28T14:01:30Z", 7),
                    probe("2026-11-28T14:02:30Z"),
                ],
                started,
            ),
        ).toEqual(expect.objectContaining({ usage: expect.objectContaining({ requests: 9 }) }));
    });

    test("probes of an earlier run are not today's counters", () => {
        expect(latestReport([probe("2026-11-28T13:59:59Z", 5)], started)).toBeUndefined();
        expect(latestReport([probe("not a time", 5)], started)).toBeUndefined();
        expect(latestReport([], started)).toBeUndefined();
    });
});
