import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { parseBackupSecrets } from "../../../lib/config/backupSecrets";
import { parseStackConfig, stackConfigDefaults } from "../../../lib/config/stackConfig";
import { missingSecretProblems, parseTenantSecrets } from "../../../lib/config/tenantSecrets";
import { prodStack, storedConfig } from "../../support/prodStack";
import { tenantOf as tenant } from "../../support/tenantFiles";

const root = path.resolve(__dirname, "..", "..", "..");
const hetzner = storedConfig(prodStack);

function problems(raw: Record<string, string>, stack = "prod"): string[] {
    const result = parseStackConfig(raw, stack);
    if (result.ok) {
        throw new Error("expected problems");
    }
    return result.problems.map((p) => `${p.where}${p.path ? `: ${p.path}` : ""}: ${p.message}`);
}

describe("parseStackConfig", () => {
    test("an empty config is a local host with the declared defaults", () => {
        const result = parseStackConfig({}, "dev");
        expect(result).toEqual({
            ok: true,
            config: expect.objectContaining({
                hostKind: "local",
                dockerHost: "unix:///var/run/docker.sock",
                hostMemoryMb: 4096,
                imageVersion: "0.9.2",
            }),
            backup: { kind: "none" },
            image: { source: "published", repository: "ghcr.io/qhkm/zeptoclaw", version: "0.9.2" },
            // No rings configured: one ring, main, on the stack's image.
            rings: [
                {
                    name: "main",
                    index: 0,
                    setting: { name: "main" },
                    image: { source: "published", repository: "ghcr.io/qhkm/zeptoclaw", version: "0.9.2" },
                },
            ],
        });
    });

    test("the code's defaults are exactly those Pulumi.yaml declares", () => {
        const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
            config: Record<string, { default: unknown }>;
        };
        const declared = Object.fromEntries(Object.entries(project.config).map(([k, v]) => [k, v.default]));
        expect(declared).toEqual(stackConfigDefaults);
    });

    test("the policy keys are checked: tool names against ZeptoClaw's, agent modes against upstream's", () => {
        expect(
            problems(
                { policyDeniedTools: JSON.stringify(["shell", "shel"]), policyMaxAgentMode: "full" },
                "dev",
            ),
        ).toEqual([
            expect.stringMatching(
                /^Pulumi\.dev\.yaml: zeptoclaw-fleet:policyDeniedTools: \[1\]: is not a ZeptoClaw tool name; the built-in tools are .*shell/,
            ),
            "Pulumi.dev.yaml: zeptoclaw-fleet:policyMaxAgentMode: is observer, assistant or autonomous",
        ]);
    });

    test.each(["dev", "prod"])("the shipped Pulumi.%s.yaml is valid", (stack) => {
        const file = parse(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")) as {
            config: Record<string, unknown>;
        };
        const raw = storedConfig(
            Object.fromEntries(
                Object.entries(file.config).map(([k, v]) => [k.replace("zeptoclaw-fleet:", ""), v]),
            ),
        );
        expect(parseStackConfig(raw, stack).ok).toBe(true);
    });

    test("a Hetzner host needs its SSH keys and CIDRs, and names the keys", () => {
        expect(problems({ hostKind: "hetzner" })).toEqual([
            "Pulumi.prod.yaml: zeptoclaw-fleet:sshAllowedCidrs: list at least one CIDR allowed to reach SSH, e.g. your office or VPN",
            "Pulumi.prod.yaml: zeptoclaw-fleet:sshPublicKeys: list at least one operator SSH public key",
        ]);
        expect(parseStackConfig(hetzner, "prod").ok).toBe(true);
    });

    test("bad values name the key and say what is expected", () => {
        expect(problems({ ...hetzner, sshAllowedCidrs: JSON.stringify(["10.0.0.0/33"]) })).toEqual([
            expect.stringMatching(/zeptoclaw-fleet:sshAllowedCidrs: \[0\]: is not an IPv4 or IPv6 CIDR/),
        ]);
        expect(problems({ ...hetzner, sshPublicKeys: JSON.stringify(["not a key"]) })[0]).toMatch(
            /sshPublicKeys: \[0\]: is not an OpenSSH public key/,
        );
        expect(problems({ hostKind: "aws" })[0]).toMatch(
            /zeptoclaw-fleet:hostKind: is "local" .* or "hetzner"/,
        );
        expect(problems({ hostMemoryMb: "lots" }, "dev")).toEqual([
            'Pulumi.dev.yaml: zeptoclaw-fleet:hostMemoryMb: is "lots", not a whole number',
        ]);
        expect(problems({ protectHost: "yes" })).toEqual([
            'Pulumi.prod.yaml: zeptoclaw-fleet:protectHost: is "yes", not true or false',
        ]);
        expect(problems({ hostName: "Prod_1" })[0]).toMatch(
            /zeptoclaw-fleet:hostName: is a stable host name/,
        );
        expect(problems({ configRoot: "relative/path" })[0]).toMatch(
            /zeptoclaw-fleet:configRoot: is an absolute path/,
        );
        expect(problems({ imageDigest: "sha256:xyz" })[0]).toMatch(
            /zeptoclaw-fleet:imageDigest: is a digest/,
        );
    });

    test("a Hetzner host runs debian-13 with Docker 26.1 by default; a debian-12 host keeps Docker 20.10", () => {
        const installs = (raw: Record<string, string>) => {
            const result = parseStackConfig(raw, "prod");
            if (!result.ok || result.config.hostKind !== "hetzner") {
                throw new Error("expected a Hetzner config");
            }
            return [result.config.serverImage, result.config.dockerPackageVersion];
        };
        const unset = Object.fromEntries(Object.entries(hetzner).filter(([key]) => key !== "serverImage"));
        expect(installs(unset)).toEqual(["debian-13", "26.1.5+dfsg1-9+deb13u1+b1"]);
        expect(installs({ ...hetzner, serverImage: "debian-12" })).toEqual([
            "debian-12",
            "20.10.24+dfsg1-1+deb12u1+b6",
        ]);
        expect(installs({ ...unset, dockerPackageVersion: "26.1.5+dfsg1-9+deb13u2" })).toEqual([
            "debian-13",
            "26.1.5+dfsg1-9+deb13u2",
        ]);
    });

    test("an image the host scripts are not tested on, or a docker.io its release lacks, is refused by key", () => {
        expect(problems({ ...hetzner, serverImage: "ubuntu-24.04" })).toEqual([
            "Pulumi.prod.yaml: zeptoclaw-fleet:serverImage: is a host image the program supports: debian-13 or debian-12 (the host scripts are tested on these only)",
        ]);
        expect(
            problems({
                ...hetzner,
                serverImage: "debian-13",
                dockerPackageVersion: "20.10.24+dfsg1-1+deb12u1+b6",
            }),
        ).toEqual([
            "Pulumi.prod.yaml: zeptoclaw-fleet:dockerPackageVersion: is docker.io 20.10.24+dfsg1-1+deb12u1+b6, which debian-13 does not carry: its Docker is 26.1 (26.1.5+dfsg1-9+deb13u1+b1); set that or remove the key (pulumi config rm dockerPackageVersion) to take the program's pin",
        ]);
    });

    test("an unknown key is refused with the command that removes it", () => {
        expect(problems({ severType: "cx22" })).toEqual([
            "Pulumi.prod.yaml: zeptoclaw-fleet:severType: is not a zeptoclaw-fleet setting; remove it (pulumi config rm severType)",
        ]);
    });

    test("the backup target and the image source come out whole, each with what it needs", () => {
        const parsed = parseStackConfig(
            {
                ...hetzner,
                backupTarget: "s3",
                backupS3Repository: "s3:https://fsn1.example.com/bucket/fleet",
                backupKeepMonthly: "12",
                imageSource: "build",
                imageContext: "../zeptoclaw",
                imageDockerfile: "Dockerfile.alpine",
            },
            "prod",
        );
        expect(parsed.ok && { backup: parsed.backup, image: parsed.image }).toEqual({
            backup: {
                kind: "s3",
                repository: "s3:https://fsn1.example.com/bucket/fleet",
                schedule: "*-*-* 03:00:00",
                retention: { daily: 7, weekly: 4, monthly: 12 },
            },
            image: {
                source: "build",
                version: "0.9.2",
                context: "../zeptoclaw",
                dockerfile: "Dockerfile.alpine",
            },
        });
        // Without imageDockerfile, Docker's own default name in the context.
        const build = parseStackConfig({ imageSource: "build", imageContext: "../zeptoclaw" }, "dev");
        expect(build.ok && build.image).toMatchObject({ dockerfile: "Dockerfile" });
        expect(problems({ ...hetzner, backupTarget: "s3" })).toEqual([
            'Pulumi.prod.yaml: zeptoclaw-fleet:backupS3Repository: is required when backupTarget is "s3": s3:https://<endpoint>/<bucket>/<prefix>',
        ]);
        // A local host has no backup target, whatever a leftover backupTarget says.
        const local = parseStackConfig({ backupTarget: "storagebox" }, "dev");
        expect(local.ok && local.backup).toEqual({ kind: "none" });
    });

    test("backup credentials join their target; one missing names its key", () => {
        const target = {
            kind: "storagebox" as const,
            storageBoxType: "bx11",
            schedule: "daily",
            retention: { daily: 7, weekly: 4, monthly: 6 },
        };
        const raw = { backupPassword: "p".repeat(16), backupStorageBoxPassword: "box-password" };
        expect(parseBackupSecrets(raw, () => true, target, "prod")).toEqual({
            ok: true,
            plan: { ...target, password: "p".repeat(16), storageBoxPassword: "box-password" },
        });
        expect(parseBackupSecrets({ backupPassword: "p".repeat(16) }, () => true, target, "prod")).toEqual({
            ok: false,
            problems: [
                {
                    where: "Pulumi.prod.yaml: zeptoclaw-fleet:backupStorageBoxPassword",
                    path: "",
                    message:
                        'is required when backupTarget is "storagebox": pulumi config set --secret backupStorageBoxPassword -s prod',
                },
            ],
        });
    });

    test("a build needs a context", () => {
        expect(problems({ imageSource: "build" }, "dev")).toEqual([
            'Pulumi.dev.yaml: zeptoclaw-fleet:imageContext: is required when imageSource is "build": the path of a ZeptoClaw checkout',
        ]);
    });
});

describe("tenant secrets", () => {
    test("values stored in plain text are refused", () => {
        const result = parseTenantSecrets(JSON.stringify({ a: { k: "v" } }), false, "prod");
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.problems[0].message).toMatch(/holds plaintext values: .*--secret/);
    });

    test("a missing secret names the file, the path and the command that sets it", () => {
        expect(
            missingSecretProblems([tenant("shop-a")], { "shop-a": new Set(["anthropicApiKey"]) }, "prod"),
        ).toEqual([
            {
                where: "tenants/shop-a.yaml",
                path: "zeptoclaw.channels.telegram.token",
                message:
                    'secret "telegramBotToken" is not set in stack "prod"; set it with: pulumi config set --secret --path \'tenantSecrets.shop-a.telegramBotToken\' -s prod',
            },
        ]);
    });

    test("a tenant cannot use another tenant's secret", () => {
        const other = { "shop-b": new Set(["anthropicApiKey", "telegramBotToken"]) };
        expect(missingSecretProblems([tenant("shop-a")], other, "prod")).toHaveLength(2);
    });

    test("the map's shape is checked", () => {
        const result = parseTenantSecrets(
            JSON.stringify({ "shop-a": { key: "" }, Bad_Name: {} }),
            true,
            "prod",
        );
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.problems.map((p) => p.path)).toEqual(["shop-a.key", "Bad_Name"]);
    });

    test.each([
        ["a blank value", "  \t", /only whitespace.*src\/kernel\/registrar\.rs/],
        ["an ENC[...] value", "ENC[v1:abc]", /ENC\[\.\.\.\].*ZEPTOCLAW_MASTER_KEY/],
    ])("%s, which ZeptoClaw cannot start with, is refused without showing it", (_, value, message) => {
        const result = parseTenantSecrets(JSON.stringify({ "shop-a": { braveApiKey: value } }), true, "prod");
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.problems).toEqual([
            {
                where: "Pulumi.prod.yaml: zeptoclaw-fleet:tenantSecrets",
                path: "shop-a.braveApiKey",
                message: expect.stringMatching(message),
            },
        ]);
        expect(result.problems[0].message).not.toContain(value);
        expect(
            parseTenantSecrets(JSON.stringify({ "shop-a": { braveApiKey: "ENC[x" } }), true, "prod").ok,
        ).toBe(true);
    });
});
