import { readableLogLine } from "../../../lib/logs/readableLogLine";

// Events in the shape tracing-subscriber's JSON formatter writes them (ZeptoClaw 0.9.2,
// src/utils/logging.rs, `fmt().json()`).
const event = {
    timestamp: "2026-12-01T08:00:00.123456Z",
    level: "INFO",
    fields: { message: "Gateway started", channels: 1 },
    target: "zeptoclaw::cli::gateway",
};

describe("readableLogLine", () => {
    test("a JSON event reads as time, level, target, message, then its other fields", () => {
        expect(readableLogLine(JSON.stringify(event))).toBe(
            "2026-12-01T08:00:00.123456Z  INFO zeptoclaw::cli::gateway: Gateway started channels=1",
        );
    });

    test("the spans an event happened in follow its target", () => {
        const inSpans = {
            ...event,
            level: "WARN",
            spans: [{ name: "agent" }, { name: "tool", tool: "shell" }],
        };
        expect(readableLogLine(JSON.stringify(inSpans))).toBe(
            "2026-12-01T08:00:00.123456Z  WARN zeptoclaw::cli::gateway:agent:tool: Gateway started channels=1",
        );
    });

    test("fields that are not strings are shown as JSON", () => {
        const fields = { message: "usage", tokens: { input: 10 }, ok: true };
        expect(readableLogLine(JSON.stringify({ ...event, fields }))).toBe(
            '2026-12-01T08:00:00.123456Z  INFO zeptoclaw::cli::gateway: usage tokens={"input":10} ok=true',
        );
    });

    test("lines that are not events stay as they are: banners, other formats, other JSON", () => {
        for (const line of [
            "🦀 ZeptoClaw Gateway",
            "2026-12-01T08:00:00Z  INFO zeptoclaw: up",
            '{"status":"ok"}',
            "[1,2]",
        ]) {
            expect(readableLogLine(line)).toBe(line);
        }
    });

    test("escape sequences from the tenant never reach the terminal, in events or in other lines", () => {
        const hostile = { ...event, fields: { message: "\u001b]0;owned\u0007 hi", user: "\u001b[2J" } };
        expect(readableLogLine(JSON.stringify(hostile))).toBe(
            "2026-12-01T08:00:00.123456Z  INFO zeptoclaw::cli::gateway: ?]0;owned? hi user=?[2J",
        );
        expect(readableLogLine("plain \u001b[31mred\u009b")).toBe("plain ?[31mred?");
    });
});
