import { printable } from "../status/statusTable";

/**
 * One event as ZeptoClaw 0.9.2 writes it with `logging.format: json` (the format the fleet
 * renders): tracing-subscriber's JSON formatter (`fmt().json()` in src/utils/logging.rs) puts
 * `timestamp`, `level`, the event's `fields` (its `message` among them), `target`, and, inside
 * spans, `span` and `spans`.
 */
interface JsonEvent {
    timestamp: string;
    level: string;
    target?: string;
    fields: Record<string, unknown>;
    spans?: { name?: unknown }[];
}

function isJsonEvent(value: unknown): value is JsonEvent {
    if (typeof value !== "object" || value === null) {
        return false;
    }
    const v = value as Record<string, unknown>;
    return (
        typeof v.timestamp === "string" &&
        typeof v.level === "string" &&
        typeof v.fields === "object" &&
        v.fields !== null &&
        !Array.isArray(v.fields) &&
        (v.target === undefined || typeof v.target === "string") &&
        (v.spans === undefined || Array.isArray(v.spans))
    );
}

function fieldValue(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * A log line for a person: a JSON event as `timestamp LEVEL target: message key=value ...`, in
 * the order of tracing's compact format, with the span path after the target; any other line
 * (ZeptoClaw's println! banners, a line another format wrote) as it is. Control characters
 * become "?" either way: the line is the tenant's text, and an escape sequence in it must not
 * reach the operator's terminal.
 */
export function readableLogLine(line: string): string {
    let parsed: unknown;
    try {
        parsed = JSON.parse(line);
    } catch {
        return printable(line);
    }
    if (!isJsonEvent(parsed)) {
        return printable(line);
    }
    const { message, ...rest } = parsed.fields;
    const spans = (parsed.spans ?? []).map((s) => s.name).filter((n): n is string => typeof n === "string");
    const where = [parsed.target, ...spans].filter((part) => part !== undefined && part !== "").join(":");
    const words = [
        parsed.timestamp,
        parsed.level.padStart(5),
        ...(where === "" ? [] : [`${where}:`]),
        ...(message === undefined ? [] : [fieldValue(message)]),
        ...Object.entries(rest).map(([key, value]) => `${key}=${fieldValue(value)}`),
    ];
    return printable(words.join(" "));
}
