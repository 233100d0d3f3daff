/** The files a configure script (lib/host/configureHost.ts) writes: path → content. */
export function decodeConfigureFiles(script: string): Record<string, string> {
    const files: Record<string, string> = {};
    for (const m of script.matchAll(/^put (\S+) \d{4} <<'ZEPTOCLAW_FLEET_EOF'\n([A-Za-z0-9+/=]*)\n/gm)) {
        files[m[1]] = Buffer.from(m[2], "base64").toString("utf8");
    }
    return files;
}
