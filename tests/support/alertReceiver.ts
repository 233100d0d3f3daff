import { execFile } from "node:child_process";
import * as http from "node:http";
import { AddressInfo } from "node:net";

/** One request the receiver took: the webhook's JSON, or a Telegram sendMessage form. */
export interface Received {
    path: string;
    contentType: string;
    body: string;
}

/**
 * An HTTP server on loopback standing in for the operator's webhook and for the Telegram Bot API.
 * It answers 200, or 500 on paths the test marks as failing.
 */
export class AlertReceiver {
    public readonly received: Received[] = [];
    public readonly failing = new Set<string>();
    private readonly server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const path = req.url ?? "";
            this.received.push({
                path,
                contentType: req.headers["content-type"] ?? "",
                body: Buffer.concat(chunks).toString("utf8"),
            });
            res.writeHead(this.failing.has(path) ? 500 : 200, { "Content-Type": "application/json" });
            res.end('{"ok":true}');
        });
    });

    async start(): Promise<string> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }

    /** What arrived since the last call, and forgets it. */
    take(): Received[] {
        return this.received.splice(0);
    }
}

export interface AlertEvent {
    state: "raised" | "recovered";
    key: string;
    text: string;
}

/** The events the webhook was sent in some requests, in order. */
export function webhookEventsOf(requests: Received[]): AlertEvent[] {
    return requests
        .filter((r) => r.contentType === "application/json")
        .flatMap((r) => (JSON.parse(r.body) as { events: AlertEvent[] }).events);
}

/** The webhook's events of some requests: state and key of each, in order. */
export function webhookEvents(requests: Received[]): string[] {
    return webhookEventsOf(requests).map((e) => `${e.state} ${e.key}`);
}

/** The text of the Telegram messages among some requests. */
export function telegramTexts(requests: Received[]): string[] {
    return requests
        .filter((r) => r.path.endsWith("/sendMessage"))
        .map((r) => new URLSearchParams(r.body).get("text") ?? "");
}

/**
 * Runs the alert script once, without blocking this process (the receiver lives in it).
 * @returns its exit status and output
 */
export function runAlerts(
    script: string,
    env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(
            "bash",
            [script],
            { env: { ...process.env, ...env }, encoding: "utf8" },
            (error, stdout, stderr) => {
                resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
            },
        );
    });
}
