import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const made: string[] = [];

// Jest loads this module once per test file: each file removes the folders it made when it ends.
afterAll(() => {
    for (const dir of made.splice(0)) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

/** A new folder under the system's temporary folder, named `<prefix>XXXXXX`, removed when the test file ends. */
export function tempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
}
