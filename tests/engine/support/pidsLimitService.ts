import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { renderPidsLimitScript } from "../../../lib/host/pidsLimit";
import { tempDir } from "../../support/tempDir";

/** The host's PidsLimit service (lib/host/pidsLimit.ts), its script run as systemd runs it, on this machine's engine. */
export interface PidsLimitService {
    /** Everything it printed so far, standard output and error. */
    output(): string;
    /** Whether it still runs: it ends only when Docker stops answering. */
    running(): boolean;
    stop(): void;
}

export function startPidsLimitService(): PidsLimitService {
    const script = path.join(tempDir("zc-pids-"), "pids-limit");
    fs.writeFileSync(script, renderPidsLimitScript(), { mode: 0o755 });
    let output = "";
    const child: ChildProcess = spawn("sh", [script], { stdio: ["ignore", "pipe", "pipe"], detached: true });
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    return {
        output: () => output,
        running: () => child.exitCode === null && child.signalCode === null,
        // The script's process group: its shell, and the docker events watch it runs.
        stop: () => {
            try {
                process.kill(-child.pid!, "SIGTERM");
            } catch {
                // Already gone.
            }
        },
    };
}
