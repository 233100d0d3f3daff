import { hostStackOf } from "../../../lib/project/hostStack";
import { parseStackFile } from "../../../lib/project/stackFile";

/** The host of a stack file's text, as readFleetProject reads it. */
function hostOf(stack: string, text: string) {
    const file = parseStackFile(stack, text);
    return file.ok ? hostStackOf(stack, file.values) : file;
}

describe("hostStackOf", () => {
    test("the environment key names the environment; without it a stack is its own", () => {
        expect(
            hostOf(
                "prod-fsn1-b",
                "config:\n    zeptoclaw-fleet:environment: prod\n    zeptoclaw-fleet:tenantsDir: shops\n",
            ),
        ).toEqual({ ok: true, host: { stack: "prod-fsn1-b", environment: "prod", tenantsDir: "shops" } });
        expect(hostOf("dev", "config:\n    zeptoclaw-fleet:hostKind: local\n")).toEqual({
            ok: true,
            host: { stack: "dev", environment: "dev", tenantsDir: "tenants" },
        });
        expect(hostOf("empty", "")).toMatchObject({ host: { environment: "empty" } });
        expect(hostOf("blank", 'config:\n    zeptoclaw-fleet:environment: ""\n')).toMatchObject({
            host: { environment: "blank" },
        });
    });

    test("names the file and the key when they cannot be read", () => {
        expect(hostOf("prod", "config: [\n")).toMatchObject({
            ok: false,
            problem: { where: "Pulumi.prod.yaml", message: expect.stringMatching(/^is not valid YAML/) },
        });
        expect(hostOf("prod", "config:\n    zeptoclaw-fleet:environment: [prod]\n")).toEqual({
            ok: false,
            problems: [
                {
                    where: "Pulumi.prod.yaml: zeptoclaw-fleet:environment",
                    path: "",
                    message: "must be a string (the environment this host belongs to, e.g. prod)",
                },
            ],
        });
        // Both keys wrong: both are named.
        expect(
            hostOf(
                "prod",
                "config:\n    zeptoclaw-fleet:environment: 1\n    zeptoclaw-fleet:tenantsDir: [a]\n",
            ),
        ).toMatchObject({
            ok: false,
            problems: [
                { where: "Pulumi.prod.yaml: zeptoclaw-fleet:environment" },
                { where: "Pulumi.prod.yaml: zeptoclaw-fleet:tenantsDir" },
            ],
        });
    });
});
