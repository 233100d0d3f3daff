/** A file read out of a tar archive, or why there is none to read. */
export type TarFile = { ok: true; content: Buffer } | { ok: false; reason: string };

const block = 512;

const entryKinds: Record<string, string> = {
    "1": "a hard link",
    "2": "a symbolic link",
    "3": "a character device",
    "4": "a block device",
    "5": "a folder",
    "6": "a FIFO",
};

/** A tar header's numeric field: octal text, or base-256 (first byte's high bit set) for huge values. */
function numericField(field: Buffer): number {
    if ((field[0] & 0x80) !== 0) {
        return Number.POSITIVE_INFINITY;
    }
    const text = field
        .toString("latin1")
        .replace(/[\0 ]+$/, "")
        .trim();
    return text === "" ? 0 : parseInt(text, 8);
}

/**
 * The first file of a tar archive, as `docker cp <container>:<file> -` prints it: one entry,
 * maybe after PAX or GNU long-name headers (written for large uids or long names). Anything but a
 * regular file is refused, a symbolic link included: its target would be read on the daemon's
 * side, and the file is in a folder the tenant can write to. `archive` may be cut short at a
 * size limit; a file that does not fit in it is reported as too large.
 */
export function firstFileOfTar(archive: Buffer): TarFile {
    let offset = 0;
    while (offset + block <= archive.length) {
        const header = archive.subarray(offset, offset + block);
        if (header.every((b) => b === 0)) {
            break;
        }
        const size = numericField(header.subarray(124, 136));
        const type = String.fromCharCode(header[156]);
        const start = offset + block;
        if (!Number.isFinite(size) || Number.isNaN(size)) {
            return { ok: false, reason: "too large" };
        }
        if (type === "x" || type === "g" || type === "L" || type === "K") {
            offset = start + Math.ceil(size / block) * block;
            continue;
        }
        if (type !== "0" && type !== "\0" && type !== "7") {
            return {
                ok: false,
                reason: `${entryKinds[type] ?? `a tar entry of type "${type}"`}, not a file`,
            };
        }
        if (start + size > archive.length) {
            return { ok: false, reason: "too large" };
        }
        return { ok: true, content: archive.subarray(start, start + size) };
    }
    return { ok: false, reason: "an empty archive" };
}
