import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { renderCloudInit } from "../../../lib/host/cloudInit";
import { tempDir } from "../../support/tempDir";

describe("renderCloudInit", () => {
    test("cloud-init installs Docker, pins the host key, and allows keys only", () => {
        const text = renderCloudInit({
            hostKeyPrivateOpenssh:
                "-----BEGIN OPENSSH PRIVATE KEY-----\nX\n-----END OPENSSH PRIVATE KEY-----\n",
            hostKeyPublicOpenssh: "ssh-ed25519 AAAA\n",
        });
        expect(text.startsWith("#cloud-config\n")).toBe(true);
        const doc = parse(text) as Record<string, any>;
        expect(doc.packages).toContain("docker.io");
        expect(doc.ssh_pwauth).toBe(false);
        expect(doc.ssh_keys).toEqual({
            ed25519_private: expect.stringContaining("X"),
            ed25519_public: "ssh-ed25519 AAAA",
        });
        const daemon = JSON.parse(
            doc.write_files.find((f: any) => f.path === "/etc/docker/daemon.json").content,
        );
        expect(daemon).toMatchObject({
            icc: false,
            "no-new-privileges": true,
            "live-restore": true,
            "log-opts": { "max-size": "10m", "max-file": "3" },
        });
        expect(doc.write_files.find((f: any) => f.path.startsWith("/etc/ssh/")).content).toMatch(
            /PasswordAuthentication no/,
        );
    });

    test("the rendered cloud-init passes `cloud-init schema`, which catches a bad file", () => {
        const dir = tempDir("zc-ci-");
        const good = path.join(dir, "user-data.yaml");
        fs.writeFileSync(
            good,
            renderCloudInit({
                hostKeyPrivateOpenssh:
                    "-----BEGIN OPENSSH PRIVATE KEY-----\nX\n-----END OPENSSH PRIVATE KEY-----\n",
                hostKeyPublicOpenssh: "ssh-ed25519 AAAA",
                dockerPackageVersion: "20.10.24+dfsg1-1+deb12u1+b6",
            }),
        );
        // cloud-init from Debian's packages; see tests/support/unitTestTools.ts. Exits non-zero on any schema error.
        execFileSync("cloud-init", ["schema", "--config-file", good], { stdio: "pipe" });
        const bad = path.join(dir, "bad.yaml");
        fs.writeFileSync(bad, "#cloud-config\nssh_genkeytypes: []\n");
        expect(() =>
            execFileSync("cloud-init", ["schema", "--config-file", bad], { stdio: "pipe" }),
        ).toThrow();
    });
});
