import * as fs from "node:fs";
import * as path from "node:path";
import { parseStackFile, stackFileSettings } from "../../../lib/project/stackFile";

/** The settings of a stack file's text, as fleet place and upgrade read them. */
const settingsOf = (stack: string, text: string) => stackFileSettings(stack, parseStackFile(stack, text));

const repo = path.resolve(__dirname, "..", "..", "..");

/** A host's stack file: plain values, an encrypted key of its own and of another namespace, a map of secrets. */
const hostFile = [
    "config:",
    "    hcloud:token:",
    "        secure: v1:abc",
    "    zeptoclaw-fleet:environment: prod",
    "    zeptoclaw-fleet:hostMemoryMb: 8192",
    "    zeptoclaw-fleet:hostReservedMemoryMb: 1024",
    "    zeptoclaw-fleet:imageRings: [canary, main]",
    "    zeptoclaw-fleet:backupPassword:",
    "        secure: v1:ghi",
    "    zeptoclaw-fleet:tenantSecrets:",
    "        shop-a:",
    "            telegramBotToken:",
    "                secure: v1:def",
    "",
].join("\n");

describe("parseStackFile and stackFileSettings", () => {
    test("reads the shipped prod stack as the program would, with Pulumi.yaml's defaults", () => {
        const parsed = settingsOf("prod", fs.readFileSync(path.join(repo, "Pulumi.prod.yaml"), "utf8"));
        expect(parsed.ok && parsed.config).toMatchObject({
            hostKind: "hetzner",
            serverType: "cx32",
            serverLocation: "fsn1",
            dataVolumeGb: 40,
            hostReservedMemoryMb: 512,
            tenantsDir: "tenants",
            policyDeniedTools: expect.arrayContaining(["shell"]),
        });
    });

    test("numbers, lists and an environment from a host file; encrypted secrets and other namespaces are skipped", () => {
        const parsed = settingsOf("prod-a", hostFile);
        expect(parsed.ok && parsed.config).toMatchObject({
            hostKind: "local",
            environment: "prod",
            hostMemoryMb: 8192,
            hostReservedMemoryMb: 1024,
            imageRings: ["canary", "main"],
        });
    });

    test("a wrong value is refused with the program's own message, naming the stack file and key", () => {
        const parsed = settingsOf("prod-a", "config:\n    zeptoclaw-fleet:hostMemoryMb: lots\n");
        expect(parsed.ok ? [] : parsed.problems).toEqual([
            {
                where: "Pulumi.prod-a.yaml: zeptoclaw-fleet:hostMemoryMb",
                path: "",
                message: 'is "lots", not a whole number',
            },
        ]);
    });

    test("a file that is not YAML is named", () => {
        const parsed = settingsOf("prod-a", "config: [\n");
        expect(parsed.ok ? "" : parsed.problems[0].message).toMatch(/^is not valid YAML/);
        expect(parsed.ok ? "" : parsed.problems[0].where).toBe("Pulumi.prod-a.yaml");
    });

    test("values keep their YAML types, without the namespace; secrets and other namespaces are left out", () => {
        expect(parseStackFile("prod-a", hostFile)).toEqual({
            ok: true,
            values: {
                environment: "prod",
                hostMemoryMb: 8192,
                hostReservedMemoryMb: 1024,
                imageRings: ["canary", "main"],
                // A map of secrets keeps its values as the file has them: ciphertext.
                tenantSecrets: { "shop-a": { telegramBotToken: { secure: "v1:def" } } },
            },
        });
        expect(parseStackFile("empty", "")).toEqual({ ok: true, values: {} });
    });
});
