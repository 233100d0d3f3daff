import * as pulumi from "@pulumi/pulumi";
import { InputProblem } from "../errors";
import { AlertChannels } from "./alertSettings";
import { configLocation } from "./configLocation";

/** Where the operator's alerts go, each its own encrypted stack config key. */
export const alertSecretKeys = {
    /** An https URL that receives a JSON POST; it often carries its own token. */
    webhookUrl: "alertWebhookUrl",
    /** The operator's own bot (BotFather's `<id>:<secret>`), never a tenant's. */
    telegramBotToken: "alertTelegramBotToken",
    /** The chat the bot writes to: a numeric id, or @channelusername. */
    telegramChatId: "alertTelegramChatId",
} as const;

type AlertSecretName = keyof typeof alertSecretKeys;

export function isAlertSecretKey(key: string): boolean {
    return (Object.values(alertSecretKeys) as string[]).includes(key);
}

/**
 * What each value must look like; the messages never repeat the value. Bot API tokens and chat
 * ids as core.telegram.org/bots/api describes them ("123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",
 * "Unique identifier for the target chat or username of the target channel (in the format
 * @channelusername)").
 */
const formats: Record<AlertSecretName, { pattern: RegExp; message: string }> = {
    webhookUrl: {
        pattern: /^https:\/\/[^\s"\\]+$/,
        message: "is not an https URL: alerts name the host and its tenants, and go over TLS only",
    },
    telegramBotToken: {
        pattern: /^[0-9]+:[A-Za-z0-9_-]+$/,
        message: "is not a Telegram bot token (<digits>:<letters, digits, _ and ->, as BotFather gives it)",
    },
    telegramChatId: {
        pattern: /^(-?[0-9]+|@[A-Za-z][A-Za-z0-9_]{4,})$/,
        message: "is not a Telegram chat id (a number, negative for groups, or @channelusername)",
    },
};

/**
 * Reads the alert channels. `raw` maps bare keys to values; `isSecret` says whether Pulumi stores
 * a key encrypted. A plaintext value is refused (it would sit readable in Pulumi.<stack>.yaml),
 * and so is half a Telegram channel. No key set means no channel.
 */
export function parseAlertSecrets(
    raw: Readonly<Record<string, string | undefined>>,
    isSecret: (key: string) => boolean,
    stack: string,
): { ok: true; channels: AlertChannels<string> } | { ok: false; problems: InputProblem[] } {
    const problems: InputProblem[] = [];
    const values: Partial<Record<AlertSecretName, string>> = {};
    for (const [name, key] of Object.entries(alertSecretKeys) as [AlertSecretName, string][]) {
        const value = raw[key];
        if (value === undefined || value === "") {
            continue;
        }
        const where = configLocation(stack, key);
        if (!isSecret(key)) {
            problems.push({
                where,
                path: "",
                message: `is stored in plaintext: pulumi config rm ${key} -s ${stack}, then set it again with pulumi config set --secret ${key} -s ${stack} (and change it where it was used)`,
            });
        } else if (!formats[name].pattern.test(value)) {
            problems.push({
                where,
                path: "",
                message: `${formats[name].message}; set it again with pulumi config set --secret ${key} -s ${stack}`,
            });
        } else {
            values[name] = value;
        }
    }
    const { webhookUrl, telegramBotToken, telegramChatId } = values;
    const token = raw[alertSecretKeys.telegramBotToken] ?? "";
    const chat = raw[alertSecretKeys.telegramChatId] ?? "";
    if ((token === "") !== (chat === "")) {
        const missing = token === "" ? alertSecretKeys.telegramBotToken : alertSecretKeys.telegramChatId;
        problems.push({
            where: configLocation(stack, missing),
            path: "",
            message: `is required with ${token === "" ? alertSecretKeys.telegramChatId : alertSecretKeys.telegramBotToken}: pulumi config set --secret ${missing} -s ${stack}`,
        });
    }
    if (problems.length > 0) {
        return { ok: false, problems };
    }
    return {
        ok: true,
        channels: {
            ...(webhookUrl === undefined ? {} : { webhookUrl }),
            ...(telegramBotToken === undefined || telegramChatId === undefined
                ? {}
                : { telegram: { botToken: telegramBotToken, chatId: telegramChatId } }),
        },
    };
}

/** The channels with each value a Pulumi secret from the moment it is read. */
export function secretAlertChannels(channels: AlertChannels<string>): AlertChannels<pulumi.Output<string>> {
    const { webhookUrl, telegram } = channels;
    return {
        ...(webhookUrl === undefined ? {} : { webhookUrl: pulumi.secret(webhookUrl) }),
        ...(telegram === undefined
            ? {}
            : {
                  telegram: {
                      botToken: pulumi.secret(telegram.botToken),
                      chatId: pulumi.secret(telegram.chatId),
                  },
              }),
    };
}
