/**
 * Writes the daemon.json the program renders for fleet hosts to the given path, so that the
 * real-engine suite's dockerd runs with the same settings. Usage: renderDaemonConfig.ts <path>
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderDaemonJson } from "../../lib/host/daemonConfig";

const target = process.argv[2];
if (target === undefined) {
    process.stderr.write("usage: renderDaemonConfig.ts <path>\n");
    process.exit(2);
}
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, renderDaemonJson());
