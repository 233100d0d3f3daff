/** Bytes per unit in the sizes the Docker CLI prints: decimal for disk (`12.3MB`), binary for memory (`18.2MiB`). */
const units: Record<string, number> = {
    b: 1,
    kb: 1e3,
    mb: 1e6,
    gb: 1e9,
    tb: 1e12,
    pb: 1e15,
    kib: 1024,
    mib: 1024 ** 2,
    gib: 1024 ** 3,
    tib: 1024 ** 4,
    pib: 1024 ** 5,
};

/** A size such as `564KiB`, `18.2MiB` or `1.23GB` in bytes; undefined for `N/A` or anything else. */
export function parseDockerSize(text: string): number | undefined {
    const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text.trim());
    const unit = match === null ? undefined : units[match[2].toLowerCase()];
    return match === null || unit === undefined ? undefined : Math.round(Number(match[1]) * unit);
}

export const mib = 1024 * 1024;

/** Bytes as MiB with one decimal, whole numbers without one: `18.2`, `256`. */
export function formatMiB(bytes: number): string {
    const value = bytes / mib;
    return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Bytes in the largest binary unit that keeps the number at least 1: `0 B`, `4.0 KiB`, `1.2 GiB`. */
export function formatBytes(bytes: number): string {
    const names = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let value = bytes;
    let i = 0;
    while (value >= 1024 && i < names.length - 1) {
        value /= 1024;
        i += 1;
    }
    return i === 0 ? `${value} B` : `${value.toFixed(1)} ${names[i]}`;
}
