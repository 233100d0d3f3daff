import * as pulumi from "@pulumi/pulumi";
import { parseAlertSecrets, secretAlertChannels } from "../../../lib/config/alertSecrets";
import { parseStackConfig } from "../../../lib/config/stackConfig";
import { prodStack, storedConfig } from "../../support/prodStack";

const url = "https://hooks.example.com/T0KEN-abc";
const token = "123456:AAH-secret_token";
const chat = "-1001234567890";

function messages(result: ReturnType<typeof parseAlertSecrets>): string[] {
    return result.ok ? [] : result.problems.map((p) => `${p.where}: ${p.message}`);
}

describe("alert channels", () => {
    test("none set is no channel; each set joins its channel", () => {
        expect(parseAlertSecrets({}, () => true, "prod")).toEqual({ ok: true, channels: {} });
        expect(
            parseAlertSecrets(
                { alertWebhookUrl: url, alertTelegramBotToken: token, alertTelegramChatId: chat },
                () => true,
                "prod",
            ),
        ).toEqual({
            ok: true,
            channels: { webhookUrl: url, telegram: { botToken: token, chatId: chat } },
        });
        expect(
            parseAlertSecrets(
                { alertTelegramBotToken: token, alertTelegramChatId: "@fleet_ops" },
                () => true,
                "prod",
            ),
        ).toEqual({
            ok: true,
            channels: { telegram: { botToken: token, chatId: "@fleet_ops" } },
        });
    });

    test("each value is a Pulumi secret from the moment it is read", async () => {
        const channels = secretAlertChannels({
            webhookUrl: url,
            telegram: { botToken: token, chatId: chat },
        });
        const outputs = [channels.webhookUrl, channels.telegram?.botToken, channels.telegram?.chatId];
        const secret: boolean[] = [];
        for (const output of outputs) {
            secret.push(output !== undefined && (await pulumi.isSecret(output)));
        }
        expect(secret).toEqual([true, true, true]);
        expect(secretAlertChannels({})).toEqual({});
    });

    test("a value stored in plaintext is refused with the commands that fix it, and never repeated", () => {
        const result = parseAlertSecrets({ alertWebhookUrl: url }, () => false, "prod");
        expect(messages(result)).toEqual([
            "Pulumi.prod.yaml: zeptoclaw-fleet:alertWebhookUrl: is stored in plaintext: pulumi config rm alertWebhookUrl -s prod, then set it again with pulumi config set --secret alertWebhookUrl -s prod (and change it where it was used)",
        ]);
    });

    test("half a Telegram channel, a plain-http or malformed value name the key, not the value", () => {
        expect(messages(parseAlertSecrets({ alertTelegramBotToken: token }, () => true, "prod"))).toEqual([
            "Pulumi.prod.yaml: zeptoclaw-fleet:alertTelegramChatId: is required with alertTelegramBotToken: pulumi config set --secret alertTelegramChatId -s prod",
        ]);
        const bad = messages(
            parseAlertSecrets(
                {
                    alertWebhookUrl: "http://hooks.example.com/T0KEN-abc",
                    alertTelegramBotToken: "not a token",
                    alertTelegramChatId: "ops room",
                },
                () => true,
                "prod",
            ),
        );
        expect(bad).toEqual([
            "Pulumi.prod.yaml: zeptoclaw-fleet:alertWebhookUrl: is not an https URL: alerts name the host and its tenants, and go over TLS only; set it again with pulumi config set --secret alertWebhookUrl -s prod",
            "Pulumi.prod.yaml: zeptoclaw-fleet:alertTelegramBotToken: is not a Telegram bot token (<digits>:<letters, digits, _ and ->, as BotFather gives it); set it again with pulumi config set --secret alertTelegramBotToken -s prod",
            "Pulumi.prod.yaml: zeptoclaw-fleet:alertTelegramChatId: is not a Telegram chat id (a number, negative for groups, or @channelusername); set it again with pulumi config set --secret alertTelegramChatId -s prod",
        ]);
        expect(bad.join("\n")).not.toMatch(/T0KEN|not a token|ops room/);
    });

    test("the thresholds have defaults, are checked and name their key; the secrets are no settings of their own", () => {
        const hetzner = storedConfig(prodStack);
        const parsed = parseStackConfig({ ...hetzner, alertWebhookUrl: url }, "prod");
        expect(parsed.ok && parsed.config).toMatchObject({
            alertDiskQuotaPercent: 90,
            alertFreeMemoryPercent: 10,
            alertFreeDiskPercent: 10,
            alertRestarts: 3,
            alertBackupMaxAgeHours: 26,
        });
        const refused = parseStackConfig(
            { ...hetzner, alertDiskQuotaPercent: "120", alertRestarts: "0", alertFreeDiskPercent: "-1" },
            "prod",
        );
        expect(refused.ok ? [] : refused.problems.map((p) => `${p.where}: ${p.message}`)).toEqual([
            "Pulumi.prod.yaml: zeptoclaw-fleet:alertDiskQuotaPercent: is the share (1-100) of its disk limit at which a tenant is reported",
            "Pulumi.prod.yaml: zeptoclaw-fleet:alertFreeDiskPercent: is the share (0-99) of free disk below which the host is reported; 0 turns it off",
            "Pulumi.prod.yaml: zeptoclaw-fleet:alertRestarts: is how many restarts within 10 minutes make a restart loop (at least 1)",
        ]);
    });
});
