import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { configWriterArgs, managedMarker } from "../../../lib/docker/configWriter";
import { tempDir } from "../../support/tempDir";

describe("config writer", () => {
    test("uploads each config read-only, with a marker, into a folder only root can open", () => {
        const args = configWriterArgs([{ tenant: "shop-a", uid: 10_000_001, configJson: "{}" }], {
            name: "zc-configs-x",
            image: "sha256:1",
            configRoot: "/srv/zc",
            hostName: "h",
        });
        expect(args.uploads).toEqual([
            {
                file: "/fleet-config/shop-a/config.json",
                content: "{}",
                owner: "0",
                group: "10000001",
                permissions: "0444",
            },
            expect.objectContaining({ file: `/fleet-config/shop-a/${managedMarker}` }),
        ]);
        expect(args.volumes).toEqual([{ hostPath: "/srv/zc", containerPath: "/fleet-config" }]);
        expect((args.entrypoints as string[])[2]).toMatch(/^chmod 0700 \.$/m);
        expect(args).toMatchObject({
            attach: true,
            mustRun: false,
            networkMode: "none",
            capabilities: { drops: ["ALL"] },
        });
    });

    test("its prune step deletes removed tenants' folders, and only folders it wrote", () => {
        const root = tempDir("zc-prune-");
        for (const d of ["kept", "removed", "foreign"]) {
            fs.mkdirSync(path.join(root, d));
            fs.writeFileSync(path.join(root, d, "config.json"), "{}");
        }
        fs.writeFileSync(path.join(root, "kept", managedMarker), "");
        fs.writeFileSync(path.join(root, "removed", managedMarker), "");
        const args = configWriterArgs([{ tenant: "kept", uid: 1, configJson: "{}" }], {
            name: "n",
            image: "i",
            configRoot: root,
            hostName: "h",
        });
        const [shell, flag, script, name] = args.entrypoints as string[];
        execFileSync(shell, [
            flag,
            script.replace("/fleet-config", root),
            name,
            ...(args.command as string[]),
        ]);
        expect(fs.readdirSync(root).sort()).toEqual(["foreign", "kept"]);
        expect(fs.statSync(path.join(root, "kept")).mode & 0o777).toBe(0o700);
        expect(fs.statSync(root).mode & 0o777).toBe(0o700);

        // With no tenant left, it still removes the last one's folder.
        const none = configWriterArgs([], { name: "n", image: "i", configRoot: root, hostName: "h" });
        execFileSync(shell, [
            flag,
            script.replace("/fleet-config", root),
            name,
            ...(none.command as string[]),
        ]);
        expect(fs.readdirSync(root)).toEqual(["foreign"]);
        fs.rmSync(root, { recursive: true, force: true });
    });
});
