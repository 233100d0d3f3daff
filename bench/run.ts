/**
 * `npm run bench`: evaluates the program under mocks for fleets of 100 and 1000 tenants, each in
 * its own process, and prints one JSON line per size (time, resources, memory).
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

for (const tenants of process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["100", "1000"]) {
    const out = execFileSync(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", path.join(__dirname, "evaluateProgram.ts"), tenants],
        { encoding: "utf8", cwd: path.join(__dirname, "..") },
    );
    process.stdout.write(out);
}
