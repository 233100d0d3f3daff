import {
    receivesWebhooks,
    webhookCallbackUrls,
    webhookDomainProblems,
    webhookHostPort,
    webhookHostPortRange,
    webhookPortProblems,
} from "../../../lib/docker/webhookListener";
import { Tenant } from "../../../lib/tenants/tenant";
import { tenantOf } from "../../support/tenantFiles";

const whatsappCloud = {
    enabled: true,
    phone_number_id: "1234567890",
    access_token: { secret: "whatsappCloudAccessToken" },
    webhook_verify_token: { secret: "whatsappWebhookVerifyToken" },
    app_secret: { secret: "whatsappAppSecret" },
};

function webhookTenant(name: string, uid: number, enabled = true): Tenant {
    const tenant = tenantOf(name, {
        zeptoclaw: {
            providers: { anthropic: { api_key: { secret: "anthropicApiKey" } } },
            channels: { whatsapp_cloud: { ...whatsappCloud, enabled } },
        },
    });
    return { ...tenant, uid };
}

describe("webhook listener ports", () => {
    test("only tenants with whatsapp_cloud enabled receive webhooks", () => {
        expect(receivesWebhooks(webhookTenant("shop-a", 10_000_001))).toBe(true);
        expect(receivesWebhooks(webhookTenant("shop-a", 10_000_001, false))).toBe(false);
        expect(receivesWebhooks(tenantOf("shop-t"))).toBe(false);
    });

    test("a port derives from the uid alone, inside the loopback range below the ephemeral ports", () => {
        const span = webhookHostPortRange.max - webhookHostPortRange.min + 1;
        expect(webhookHostPort({ uid: 10_000_001 })).toBe(webhookHostPortRange.min + (10_000_001 % span));
        expect(webhookHostPort({ uid: 10_000_001 + span })).toBe(webhookHostPort({ uid: 10_000_001 }));
        for (const uid of [10_000_000, 123_456_789, 2_000_000_000]) {
            const port = webhookHostPort({ uid });
            expect(port).toBeGreaterThanOrEqual(webhookHostPortRange.min);
            expect(port).toBeLessThanOrEqual(webhookHostPortRange.max);
        }
    });

    test("two webhook tenants on one port are refused, naming both files and the uid to change", () => {
        const span = webhookHostPortRange.max - webhookHostPortRange.min + 1;
        const a = webhookTenant("shop-a", 10_000_001);
        const b = webhookTenant("shop-b", 10_000_001 + span);
        const telegramOnly = { ...tenantOf("shop-c"), uid: 10_000_001 + 2 * span };
        expect(webhookPortProblems([a, telegramOnly])).toEqual([]);
        expect(webhookPortProblems([a, webhookTenant("shop-b", 10_000_002)])).toEqual([]);
        expect(webhookPortProblems([a, b])).toEqual([
            {
                where: "tenants/shop-b.yaml",
                path: "uid",
                message: expect.stringMatching(
                    new RegExp(
                        `port ${webhookHostPort(a)} .*tenant "shop-a" \\(tenants/shop-a\\.yaml\\).*distinct "uid:"`,
                    ),
                ),
            },
        ]);
    });
});

describe("webhook domain and callback URLs", () => {
    const a = webhookTenant("shop-a", 10_000_001);
    const t = tenantOf("shop-t");
    const key = "Pulumi.prod.yaml: zeptoclaw-fleet:webhookDomain";

    test("a Hetzner stack without webhookDomain refuses whatsapp_cloud tenants, naming the key", () => {
        expect(webhookDomainProblems([a, t], "hetzner", undefined, key)).toEqual([
            {
                where: "tenants/shop-a.yaml",
                path: "zeptoclaw.channels.whatsapp_cloud",
                message: expect.stringContaining(`set ${key}`),
            },
        ]);
        expect(webhookDomainProblems([a, t], "hetzner", "hooks.example.com", key)).toEqual([]);
        expect(webhookDomainProblems([a, t], "local", undefined, key)).toEqual([]);
    });

    test("each webhook tenant gets https://<domain>/<tenant>/whatsapp; without a domain, none", () => {
        expect(webhookCallbackUrls([a, t], "hooks.example.com")).toEqual({
            "shop-a": "https://hooks.example.com/shop-a/whatsapp",
        });
        expect(webhookCallbackUrls([a, t], undefined)).toEqual({});
    });
});
