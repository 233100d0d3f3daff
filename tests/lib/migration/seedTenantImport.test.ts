import { stringify } from "yaml";
import { parseTenantFile } from "../../../lib/tenants/parseTenantFile";
import { upstreamDefaultModel as defaultModel } from "../../../lib/zeptoclaw/contract/agentsSchema";
import { importSeedTenant } from "../../../lib/migration/seedTenantImport";
import { seedConfig } from "../../support/seedTenants";

const options = { stacks: ["prod"], composeProject: "zeptoclaw", defaultModel };

function imported(config: unknown) {
    const result = importSeedTenant("shop-a", "seed/shop-a/config.json", config, options);
    if (!result.ok) {
        throw new Error(JSON.stringify(result.problems));
    }
    return result.imported;
}

describe("importSeedTenant", () => {
    test("the seed's add-tenant.sh config becomes a valid tenant file adopting the compose volume", () => {
        const result = imported(seedConfig("sk-ant-SECRET", "123:TG-SECRET"));
        expect(result.file.volume).toBe("zeptoclaw_shop-a-data");
        expect(result.file.stacks).toEqual(["prod"]);
        const text = stringify(result.file);
        expect(text).not.toMatch(/SECRET/);
        const parsed = parseTenantFile("tenants/shop-a.yaml", text);
        expect(parsed.ok ? [] : parsed.problems).toEqual([]);
    });

    test("secrets leave the file, each under its own name, with where it stood", () => {
        const config = seedConfig("sk-ant-SECRET", "123:TG-SECRET") as Record<string, any>;
        config.providers.openai = { api_key: "sk-openai-SECRET" };
        config.tools.web.search.api_key = "BRAVE-SECRET";
        config.tools.google_sheets = { access_token: "GS-SECRET" };
        const result = imported(config);
        expect(result.secrets).toEqual([
            { name: "anthropicApiKey", from: "providers.anthropic.api_key", value: "sk-ant-SECRET" },
            { name: "openaiApiKey", from: "providers.openai.api_key", value: "sk-openai-SECRET" },
            { name: "telegramBotToken", from: "channels.telegram.token", value: "123:TG-SECRET" },
            { name: "webSearchApiKey", from: "tools.web.search.api_key", value: "BRAVE-SECRET" },
            { name: "googleSheetsAccessToken", from: "tools.google_sheets.access_token", value: "GS-SECRET" },
        ]);
        const zc = result.file.zeptoclaw as Record<string, any>;
        expect(zc.providers.anthropic.api_key).toEqual({ secret: "anthropicApiKey" });
        expect(zc.tools.web.search).toEqual({
            provider: "brave",
            api_key: { secret: "webSearchApiKey" },
            max_results: 5,
        });
        expect(JSON.stringify(result.changes)).not.toMatch(/SECRET/);
    });

    test("every value 0.9.2 refuses is changed and reported", () => {
        const config = seedConfig("k", "t") as Record<string, any>;
        config.channels.telegram.allow_from = [12345, "alice"];
        const result = imported(config);
        expect(result.changes.map((c) => [c.path, c.was, c.now])).toEqual([
            ["tools.web.search.api_key", '""', "(removed)"],
            ["tools.web.search", '{"max_results":5}', "(removed)"],
            ["agents.defaults.model", '"anthropic/claude-sonnet-4"', JSON.stringify(defaultModel)],
            ["channels.telegram.allow_from", '[12345,"alice"]', '["12345","alice"]'],
            ["swarm.max_depth", "1", "(removed)"],
        ]);
        const zc = result.file.zeptoclaw as Record<string, any>;
        expect(zc.tools).toEqual({});
        expect(zc.agents.defaults.workspace).toBeUndefined();
        expect(zc.swarm).toEqual({ enabled: true, max_concurrent: 3 });
    });

    test("a WhatsApp Cloud channel with its app secret is kept, its three credentials as secrets, the listener left to the fleet", () => {
        const config = seedConfig("k", "t") as Record<string, any>;
        config.channels.whatsapp_cloud = {
            enabled: true,
            phone_number_id: "1055",
            access_token: "WA-SECRET",
            webhook_verify_token: "VERIFY-SECRET",
            app_secret: "APP-SECRET",
            bind_address: "127.0.0.1",
            port: 9877,
        };
        const result = imported(config);
        const zc = result.file.zeptoclaw as Record<string, any>;
        expect(zc.channels.whatsapp_cloud).toEqual({
            enabled: true,
            phone_number_id: "1055",
            access_token: { secret: "whatsappCloudAccessToken" },
            webhook_verify_token: { secret: "whatsappWebhookVerifyToken" },
            app_secret: { secret: "whatsappAppSecret" },
        });
        expect(result.secrets.map((s) => [s.name, s.value])).toEqual(
            expect.arrayContaining([
                ["whatsappCloudAccessToken", "WA-SECRET"],
                ["whatsappWebhookVerifyToken", "VERIFY-SECRET"],
                ["whatsappAppSecret", "APP-SECRET"],
            ]),
        );
        expect(result.changes.map((c) => c.path)).toEqual(
            expect.arrayContaining(["channels.whatsapp_cloud.bind_address", "channels.whatsapp_cloud.port"]),
        );
        expect(parseTenantFile("tenants/shop-a.yaml", stringify(result.file)).ok).toBe(true);
    });

    test("a WhatsApp Cloud channel without app_secret, which the fleet requires, is dropped with its credentials", () => {
        const config = seedConfig("k", "t") as Record<string, any>;
        config.channels.whatsapp_cloud = {
            enabled: true,
            phone_number_id: "1055",
            access_token: "WA-SECRET",
            webhook_verify_token: "VERIFY-SECRET",
        };
        config.tools.whatsapp = {
            business_account_id: "77",
            phone_number_id: "1055",
            access_token: "WAT-SECRET",
        };
        const result = imported(config);
        const zc = result.file.zeptoclaw as Record<string, any>;
        expect(zc.channels.whatsapp_cloud).toBeUndefined();
        expect(zc.tools.whatsapp).toEqual({
            phone_number_id: "1055",
            access_token: { secret: "whatsappAccessToken" },
        });
        expect(result.secrets.map((s) => s.name)).toEqual([
            "anthropicApiKey",
            "telegramBotToken",
            "whatsappAccessToken",
        ]);
        expect(result.changes.map((c) => c.path)).toEqual(
            expect.arrayContaining(["channels.whatsapp_cloud", "tools.whatsapp.business_account_id"]),
        );
        expect(parseTenantFile("tenants/shop-a.yaml", stringify(result.file)).ok).toBe(true);
    });

    test("a prefixed Claude model other than the seed's default keeps its id", () => {
        const config = seedConfig("k", "t") as Record<string, any>;
        config.agents.defaults.model = "anthropic/claude-opus-4-6";
        const zc = imported(config).file.zeptoclaw as Record<string, any>;
        expect(zc.agents.defaults.model).toBe("claude-opus-4-6");
    });

    test("with OpenRouter configured, a vendor-prefixed model is left as it is (OpenRouter serves it)", () => {
        const config = seedConfig("k", "t") as Record<string, any>;
        config.providers = { openrouter: { api_key: "or-key" } };
        const result = imported(config);
        expect((result.file.zeptoclaw as Record<string, any>).agents.defaults.model).toBe(
            "anthropic/claude-sonnet-4",
        );
        expect(result.changes.map((c) => c.path)).not.toContain("agents.defaults.model");
    });

    test("a value encrypted with ZEPTOCLAW_MASTER_KEY or a non-object config is refused, naming file and key", () => {
        const config = seedConfig("ENC[abc]", "t");
        const result = importSeedTenant("shop-a", "seed/shop-a/config.json", config, options);
        expect(result.ok).toBe(false);
        expect(!result.ok && result.problems).toEqual([
            expect.objectContaining({
                where: "seed/shop-a/config.json",
                path: "providers.anthropic.api_key",
            }),
        ]);
        expect(importSeedTenant("shop-a", "f", [1], options).ok).toBe(false);
    });
});
