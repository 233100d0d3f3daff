import { webhookHostPort, webhookHostPortRange } from "../../lib/docker/webhookListener";
import { derivedTenantUid } from "../../lib/tenants/tenantUid";
import { prodStack } from "../support/prodStack";
import { plaintextStrings, runProgram } from "../support/runProgram";
import { fleet, tenantYaml, whatsappCloudChannel } from "../support/tenantFiles";

const whatsappSecrets = {
    whatsappCloudAccessToken: "EAAG-SECRET-access-token-0123456789",
    whatsappWebhookVerifyToken: "verify-SECRET-0123456789",
    whatsappAppSecret: "appsecret-SECRET-0123456789abcdef",
};

/** A tenant file on WhatsApp Cloud, with the secret names the seed importer gives. */
function whatsappTenantYaml(name: string, overrides: Record<string, unknown> = {}): string {
    return tenantYaml(name, {
        ...overrides,
        zeptoclaw: {
            providers: { anthropic: { api_key: { secret: "anthropicApiKey" } } },
            channels: {
                whatsapp_cloud: whatsappCloudChannel,
            },
        },
    });
}

/** shop-a on WhatsApp Cloud, shop-b on Telegram (or `shopB`), in the prod stack with `extra` config. */
function webhookFleet(
    extra: Record<string, unknown> = {},
    preview = false,
    shopB?: string,
    secretsA: Record<string, string> = whatsappSecrets,
) {
    const base = fleet(["shop-a", "shop-b"]);
    return runProgram({
        stack: "prod",
        preview,
        tenantFiles: {
            ...base.tenantFiles,
            "shop-a.yaml": whatsappTenantYaml("shop-a"),
            ...(shopB === undefined ? {} : { "shop-b.yaml": shopB }),
        },
        tenantSecrets: {
            "shop-a": { ...base.tenantSecrets["shop-a"], ...secretsA },
            "shop-b": { ...base.tenantSecrets["shop-b"], ...whatsappSecrets },
        },
        config: { ...prodStack, ...extra },
    });
}

describe("inbound webhooks on a prod stack", () => {
    let run: Awaited<ReturnType<typeof webhookFleet>>;
    beforeAll(async () => {
        run = await webhookFleet({ webhookDomain: "hooks.example.com", webhookAcmeEmail: "ops@example.com" });
    });

    test("the WhatsApp tenant's listener is published on the host's loopback only, at its uid's port", () => {
        const a = run.one("docker:index/container:Container", "shop-a/gateway").inputs;
        expect(a.ports).toEqual([
            {
                internal: 9877,
                external: webhookHostPort({ uid: derivedTenantUid("shop-a") }),
                ip: "127.0.0.1",
                protocol: "tcp",
            },
        ]);
        expect(run.one("docker:index/container:Container", "shop-b/gateway").inputs.ports).toBeUndefined();
    });

    test("the firewall opens 80 and 443 to everyone only when webhookDomain is set", async () => {
        const rules = (r: typeof run) =>
            r.one("hcloud:index/firewall:Firewall", "fsn1-a/firewall").inputs.rules as { port: string }[];
        expect(rules(run).map((r) => r.port)).toEqual(["22", "80", "443"]);
        expect(rules(run)[2]).toMatchObject({ sourceIps: ["0.0.0.0/0", "::/0"] });
        const base = fleet(["shop-a", "shop-b"]);
        const plain = await runProgram({ stack: "prod", ...base, config: prodStack });
        expect(rules(plain).map((r) => r.port)).toEqual(["22"]);
    });

    test("the configure step installs Caddy with a Caddyfile routing shop-a's path to shop-a's port", () => {
        const script = run.one("command:remote:Command", "fsn1-a/configure").inputs.stdin as string;
        const encoded = /<<'ZEPTOCLAW_FLEET_CADDYFILE'\n(.*)\nZEPTOCLAW_FLEET_CADDYFILE/.exec(script)?.[1];
        const caddyfile = Buffer.from(encoded ?? "", "base64").toString();
        expect(caddyfile).toContain("email ops@example.com");
        expect(caddyfile).toMatch(
            new RegExp(
                `hooks\\.example\\.com \\{\\n\\thandle /shop-a/whatsapp \\{\\n\\t\\turi strip_prefix /shop-a\\n\\t\\treverse_proxy 127\\.0\\.0\\.1:${webhookHostPort({ uid: derivedTenantUid("shop-a") })}\\n`,
            ),
        );
        expect(caddyfile).not.toContain("shop-b");
    });

    test("the callback URL is a stack output of the WhatsApp tenant only", () => {
        expect(run.outputs.tenants).toEqual({
            "shop-a": {
                container: "zc-shop-a",
                volume: "shop-a-data",
                whatsappCallbackUrl: "https://hooks.example.com/shop-a/whatsapp",
            },
            "shop-b": { container: "zc-shop-b", volume: "shop-b-data" },
        });
    });

    test("the three WhatsApp secrets appear in no plaintext input or output", () => {
        const leaks = (values: string[]) =>
            values.filter((v) => Object.values(whatsappSecrets).some((s) => v.includes(s)));
        for (const r of run.resources) {
            expect({ resource: r.name, leaks: leaks(plaintextStrings(r.rawInputs)) }).toEqual({
                resource: r.name,
                leaks: [],
            });
        }
        expect(leaks(plaintextStrings(run.rawOutputs))).toEqual([]);
    });

    test("without webhookDomain, preview refuses the WhatsApp tenant, naming the key", async () => {
        await expect(webhookFleet({}, true)).rejects.toThrow(
            /shop-a\.yaml: zeptoclaw\.channels\.whatsapp_cloud: needs inbound webhooks.*set Pulumi\.prod\.yaml: zeptoclaw-fleet:webhookDomain/,
        );
    });

    test("two WhatsApp tenants whose uids give one port are refused at preview", async () => {
        const span = webhookHostPortRange.max - webhookHostPortRange.min + 1;
        const clashing = whatsappTenantYaml("shop-b", { uid: derivedTenantUid("shop-a") + span });
        await expect(webhookFleet({ webhookDomain: "hooks.example.com" }, true, clashing)).rejects.toThrow(
            /shop-b\.yaml: uid: its webhook port \d+ .* is also that of tenant "shop-a"/,
        );
    });

    test("a verify token Meta would percent-encode is refused, naming the secret, never showing it", async () => {
        const token = "verify SECRET/0123+456";
        const attempt = webhookFleet({ webhookDomain: "hooks.example.com" }, true, undefined, {
            ...whatsappSecrets,
            whatsappWebhookVerifyToken: token,
        });
        await expect(attempt).rejects.toThrow(
            /Pulumi\.prod\.yaml: zeptoclaw-fleet:tenantSecrets: shop-a\.whatsappWebhookVerifyToken: is a WhatsApp verify token .*query_param/,
        );
        await expect(attempt).rejects.not.toThrow(token);
    });

    test("a webhookDomain that is not a DNS name is refused, naming the key", async () => {
        await expect(webhookFleet({ webhookDomain: "https://hooks.example.com/" }, true)).rejects.toThrow(
            /Pulumi\.prod\.yaml: zeptoclaw-fleet:webhookDomain: is the host's DNS name/,
        );
    });
});
