import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { dataOwnerArgs } from "../../../lib/docker/dataOwner";
import { tenantNames } from "../../../lib/docker/tenantNames";
import { tenantOf } from "../../support/tenantFiles";
import { tempDir } from "../../support/tempDir";

/** tenantOf's uid. */
const uid = 10_000_001;
const seedUid = 1000;

/** Runs the owner's script on `root` standing for /data, as the container would run it. */
function runOwner(root: string): void {
    const args = dataOwnerArgs(tenantOf("shop-a"), {
        image: "sha256:1",
        hostName: "h",
        volume: "shop-a-data",
        names: tenantNames("shop-a", "/srv/zc"),
    });
    const [shell, flag, script, name] = args.entrypoints as string[];
    execFileSync(shell, [flag, script.replaceAll("/data", root), name, ...(args.command as string[])]);
}

function owner(file: string): string {
    const s = fs.lstatSync(file);
    return `${s.uid}:${s.gid}`;
}

describe("data owner", () => {
    test("a seed volume becomes the tenant's, but for /data, its state folder and the mount points", () => {
        const root = tempDir("zc-owner-");
        const elsewhere = tempDir("zc-elsewhere-");
        const outside = path.join(elsewhere, "host-file");
        fs.writeFileSync(outside, "");
        fs.chownSync(outside, 5000, 5000);
        // As the seed's image left it: everything the image's user's, a private folder included.
        for (const dir of [".zeptoclaw", "workspace", "workspace/private", ".mcp"]) {
            fs.mkdirSync(path.join(root, dir), { recursive: true });
        }
        fs.chmodSync(path.join(root, "workspace/private"), 0o700);
        for (const file of [
            ".zeptoclaw/config.json",
            "workspace/.mcp.json",
            "workspace/private/memory.json",
        ]) {
            fs.writeFileSync(path.join(root, file), "");
        }
        fs.symlinkSync(outside, path.join(root, "workspace/link"));
        for (const entry of ["", ...(fs.readdirSync(root, { recursive: true }) as string[])]) {
            fs.lchownSync(path.join(root, entry), seedUid, seedUid);
        }
        // The gateway's mount points, as Docker makes them: root's.
        for (const point of [".zeptoclaw/config.json", "workspace/.mcp.json", ".mcp"]) {
            fs.chownSync(path.join(root, point), 0, 0);
        }

        runOwner(root);

        for (const dir of [root, path.join(root, ".zeptoclaw")]) {
            expect(owner(dir)).toBe(`0:${uid}`);
            expect(fs.statSync(dir).mode & 0o7777).toBe(0o1770);
        }
        for (const file of [
            "workspace",
            "workspace/private",
            "workspace/private/memory.json",
            "workspace/link",
        ]) {
            expect([file, owner(path.join(root, file))]).toEqual([file, `${uid}:${uid}`]);
        }
        for (const point of [".zeptoclaw/config.json", "workspace/.mcp.json", ".mcp"]) {
            expect([point, owner(path.join(root, point))]).toEqual([point, "0:0"]);
        }
        // The link is the tenant's, not what it points at.
        expect(owner(outside)).toBe("5000:5000");
        fs.rmSync(root, { recursive: true, force: true });
        fs.rmSync(elsewhere, { recursive: true, force: true });
    });

    test("a new volume gets its state folder and workspace; a second run changes nothing", () => {
        const root = tempDir("zc-owner-");
        runOwner(root);
        expect(owner(path.join(root, ".zeptoclaw"))).toBe(`0:${uid}`);
        expect(owner(path.join(root, "workspace"))).toBe(`${uid}:${uid}`);
        const before = fs.statSync(path.join(root, "workspace")).ctimeMs;
        runOwner(root);
        expect(fs.statSync(path.join(root, "workspace")).ctimeMs).toBe(before);
        fs.rmSync(root, { recursive: true, force: true });
    });
});
