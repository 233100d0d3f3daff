import { z } from "zod";
import { refusedKey } from "./refusedKey";
import { secretRef } from "./secretRef";
import { citing } from "./upstream";

/**
 * allow_from is Vec<String> in every channel: a number there makes serde refuse the whole config,
 * so ZeptoClaw does not start.
 */
const allowFrom = z.array(
    z
        .string({
            error: citing(
                'must be a string: write a Telegram user id in quotes, e.g. "123456789"; a number makes ZeptoClaw refuse the config',
                "src/config/types.rs TelegramConfig.allow_from: Vec<String>",
            ),
        })
        .min(1),
);

/**
 * `enabled` is required: upstream's serde default is false, so a channel block without it is a
 * bot that never answers (src/config/types.rs TelegramConfig, src/channels/factory.rs).
 */
const enabled = z.boolean({
    error: (issue) =>
        issue.input === undefined
            ? citing(
                  "is required: ZeptoClaw treats a channel without `enabled: true` as off",
                  "src/config/types.rs TelegramConfig.enabled",
              )
            : "must be true or false",
});

/** channels.telegram: src/config/types.rs TelegramConfig. */
export const telegramSchema = z.strictObject({
    enabled,
    token: secretRef,
    /** Numeric user ids allowed to talk to the bot; empty: everyone (unless deny_by_default). */
    allow_from: allowFrom.default([]),
    /** With an empty allow_from, refuse everyone; upstream default false. */
    deny_by_default: z.boolean().optional(),
    /** Honour username entries in allow_from (legacy, reassignable); upstream default true. */
    allow_usernames: z.boolean().optional(),
    /** 👀/✅ reactions while processing; upstream default true. */
    reactions: z.boolean().optional(),
});

/** channels: src/config/types.rs ChannelsConfig, the channels the fleet can run. */
export const channelsSchema = z.strictObject({
    telegram: telegramSchema.optional(),
    whatsapp_cloud: refusedKey(
        citing(
            "is refused for now: its webhook server listens on 127.0.0.1:9877 inside the container, where Meta's " +
                "webhooks cannot reach it; it needs inbound webhooks, which zeptoclaw-fleet does not route yet. " +
                "Use channels.telegram, or tools.whatsapp to send WhatsApp messages",
            "src/config/types.rs WhatsAppCloudConfig bind_address/port defaults, src/channels/whatsapp_cloud.rs",
        ),
    ),
});
