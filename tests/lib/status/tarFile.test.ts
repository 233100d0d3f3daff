import * as tarStream from "tar-stream";
import { firstFileOfTar } from "../../../lib/status/tarFile";

type Entry = { header: Parameters<tarStream.Pack["entry"]>[0]; content?: string };

async function tar(entries: Entry[]): Promise<Buffer> {
    const pack = tarStream.pack();
    for (const e of entries) {
        if (e.content === undefined) {
            pack.entry(e.header);
        } else {
            pack.entry(e.header, e.content);
        }
    }
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of pack) {
        chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
}

const record = '{"time":"2026-11-28T02:00:00Z","snapshot":"a1b2c3d4","bytes":12345}\n';

describe("firstFileOfTar", () => {
    test("reads the one file of docker cp's archive", async () => {
        const read = firstFileOfTar(
            await tar([{ header: { name: ".zeptoclaw-fleet-backup.json" }, content: record }]),
        );
        expect(read).toEqual({ ok: true, content: Buffer.from(record) });
    });

    test("skips the PAX header written for a large uid", async () => {
        const archive = await tar([
            {
                header: { name: ".zeptoclaw-fleet-backup.json", uid: 0, pax: { uid: "10000001" } },
                content: record,
            },
        ]);
        expect(String.fromCharCode(archive[156])).toBe("x");
        expect(firstFileOfTar(archive)).toEqual({ ok: true, content: Buffer.from(record) });
    });

    test("refuses a symbolic link, a folder and an empty archive", async () => {
        expect(
            firstFileOfTar(
                await tar([{ header: { name: "r.json", type: "symlink", linkname: "/etc/shadow" } }]),
            ),
        ).toEqual({ ok: false, reason: "a symbolic link, not a file" });
        expect(firstFileOfTar(await tar([{ header: { name: "d", type: "directory" } }]))).toEqual({
            ok: false,
            reason: "a folder, not a file",
        });
        expect(firstFileOfTar(await tar([]))).toEqual({ ok: false, reason: "an empty archive" });
        expect(firstFileOfTar(Buffer.alloc(0))).toEqual({ ok: false, reason: "an empty archive" });
    });

    test("reports a file cut short at the read limit as too large", async () => {
        const archive = await tar([{ header: { name: "big.json" }, content: "x".repeat(5000) }]);
        expect(firstFileOfTar(archive.subarray(0, 2048))).toEqual({ ok: false, reason: "too large" });
    });
});
