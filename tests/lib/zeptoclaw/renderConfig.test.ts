import { unrestrictedPolicy } from "../../../lib/zeptoclaw/fleetPolicy/fleetPolicy";
import { renderZeptoClawConfig, renderZeptoClawConfigJson } from "../../../lib/zeptoclaw/renderConfig";
import { collectSecretUses } from "../../../lib/tenants/secretRefs";
import { tenantOf as tenant } from "../../support/tenantFiles";

describe("renderZeptoClawConfig", () => {
    const secrets = { anthropicApiKey: "sk-ant-A", telegramBotToken: "123:TG" };

    test("renders a tenant ZeptoClaw 0.9.2 starts: upstream's default model, no search block, JSON logs", () => {
        expect(renderZeptoClawConfig(tenant("shop-a").zeptoclaw, secrets, unrestrictedPolicy)).toEqual({
            agents: {
                defaults: {
                    workspace: "/data/workspace",
                    model: "claude-sonnet-4-6",
                    max_tokens: 8192,
                    temperature: 0.7,
                    max_tool_iterations: 20,
                },
            },
            agent_mode: { mode: "assistant" },
            providers: { anthropic: { api_key: "sk-ant-A" } },
            channels: { telegram: { enabled: true, token: "123:TG", allow_from: [] } },
            tools: { deny: [] },
            heartbeat: { enabled: false, interval_secs: 1800 },
            skills: { enabled: true },
            swarm: { enabled: true, max_concurrent: 3 },
            logging: { format: "json" },
        });
    });

    test("renders Google Sheets, WhatsApp sending and Brave search blocks", () => {
        const t = tenant("shop-w", {
            zeptoclaw: {
                providers: { anthropic: { api_key: { secret: "a" } } },
                tools: {
                    web: { search: { api_key: { secret: "brave" }, max_results: 3 } },
                    whatsapp: { phone_number_id: "111", access_token: { secret: "wa" } },
                    google_sheets: { access_token: { secret: "sheets" } },
                },
            },
        });
        expect(collectSecretUses(t.zeptoclaw).map((u) => u.name)).toEqual(["a", "brave", "wa", "sheets"]);
        const config = renderZeptoClawConfig(
            t.zeptoclaw,
            { a: "A", brave: "BR", sheets: "SH", wa: "WA" },
            unrestrictedPolicy,
        ) as Record<string, any>;
        expect(config.tools).toEqual({
            deny: [],
            web: { search: { api_key: "BR", provider: "brave", max_results: 3 } },
            whatsapp: { phone_number_id: "111", access_token: "WA" },
            google_sheets: { access_token: "SH" },
        });
    });

    test("renders WhatsApp Cloud with its three secrets and the listener where the host's proxy reaches it", () => {
        const t = tenant("shop-w", {
            zeptoclaw: {
                providers: { anthropic: { api_key: { secret: "a" } } },
                channels: {
                    whatsapp_cloud: {
                        enabled: true,
                        phone_number_id: "1234567890",
                        access_token: { secret: "wa" },
                        webhook_verify_token: { secret: "wv" },
                        app_secret: { secret: "was" },
                        allow_from: ["60123456789"],
                    },
                },
            },
        });
        const config = renderZeptoClawConfig(
            t.zeptoclaw,
            { a: "A", wa: "WA-TOKEN", wv: "VERIFY", was: "APP-SECRET" },
            unrestrictedPolicy,
        ) as Record<string, any>;
        expect(config.channels).toEqual({
            whatsapp_cloud: {
                enabled: true,
                phone_number_id: "1234567890",
                access_token: "WA-TOKEN",
                webhook_verify_token: "VERIFY",
                app_secret: "APP-SECRET",
                allow_from: ["60123456789"],
                bind_address: "0.0.0.0",
                port: 9877,
                path: "/whatsapp",
            },
        });
    });

    test("gives the same bytes whatever the order of keys in the tenant file", () => {
        const settings = {
            providers: { anthropic: { api_key: { secret: "anthropicApiKey" }, model: "claude-opus-4-6" } },
            channels: {
                telegram: { enabled: true, token: { secret: "telegramBotToken" }, allow_from: ["1", "2"] },
            },
            agents: {
                defaults: { max_tokens: 4096, model: "claude-sonnet-4-6", system_prompt: "Be brief." },
            },
            tool_profiles: { chat: ["message", "web_search"], all: null },
        };
        const reversed = (value: unknown): unknown =>
            Array.isArray(value)
                ? value
                : typeof value === "object" && value !== null
                  ? Object.fromEntries(
                        Object.entries(value)
                            .reverse()
                            .map(([k, v]) => [k, reversed(v)]),
                    )
                  : value;
        const a = tenant("shop-a", { zeptoclaw: settings });
        const b = tenant("shop-a", { zeptoclaw: reversed(settings) });
        expect(renderZeptoClawConfigJson(b.zeptoclaw, secrets, unrestrictedPolicy)).toBe(
            renderZeptoClawConfigJson(a.zeptoclaw, secrets, unrestrictedPolicy),
        );
        // and the text lists every key in sorted order, at every depth
        const text = renderZeptoClawConfigJson(a.zeptoclaw, secrets, unrestrictedPolicy);
        expect(Object.keys(JSON.parse(text).tool_profiles)).toEqual(["all", "chat"]);
    });
});
