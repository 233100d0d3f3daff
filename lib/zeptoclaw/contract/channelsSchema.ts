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

/** Where the fleet's listener stands: the fleet's proxy routes to it, so a tenant cannot move it. */
const setByFleet = (key: string) =>
    refusedKey(
        citing(
            `is set by zeptoclaw-fleet: the webhook listener must stay where the host's proxy reaches it; remove ${key}`,
            "src/config/types.rs WhatsAppCloudConfig",
        ),
    );

/** A secret reference like any other, but one whose absence the fleet refuses. */
const appSecret = z.strictObject(
    { secret: secretRef.shape.secret },
    {
        error: (issue) =>
            issue.input === undefined
                ? citing(
                      "is required: without it ZeptoClaw accepts webhooks without checking Meta's X-Hub-Signature-256, " +
                          "so anyone who learns the callback URL could write as any user; set it to {secret: whatsappAppSecret} " +
                          "(the App Secret from Meta's app dashboard)",
                      "src/channels/whatsapp_cloud.rs validate_signature",
                  )
                : "must be a secret reference such as {secret: whatsappAppSecret}: secrets never live in tenants/, " +
                  "they are set with `pulumi config set --secret`",
    },
);

/**
 * channels.whatsapp_cloud: src/config/types.rs WhatsAppCloudConfig, served by
 * src/channels/whatsapp_cloud.rs. Meta's webhooks reach it through the host's proxy
 * (lib/host/webhookProxy.ts). `app_secret` is required: upstream skips the X-Hub-Signature-256
 * check when it is None (`validate_signature`), and anyone who learns the callback URL could then
 * speak for any WhatsApp user.
 */
export const whatsappCloudSchema = z.strictObject({
    enabled,
    /** Phone number id from Meta's dashboard; upstream refuses to start the channel without it. */
    phone_number_id: z
        .string({
            error: citing(
                "is required: the phone number id from Meta's WhatsApp dashboard, in quotes",
                "src/channels/whatsapp_cloud.rs WhatsAppCloudChannel::start",
            ),
        })
        .regex(/^[0-9]+$/, {
            error: 'is the numeric phone number id from Meta\'s dashboard, in quotes, e.g. "1234567890"',
        }),
    access_token: secretRef,
    /** The token Meta sends with its verification GET (hub.verify_token); see verifyTokenProblems. */
    webhook_verify_token: secretRef,
    app_secret: appSecret,
    bind_address: setByFleet("bind_address"),
    port: setByFleet("port"),
    path: setByFleet("path"),
    /** Phone numbers allowed to talk to the agent; empty: everyone (unless deny_by_default). */
    allow_from: allowFrom.default([]),
    deny_by_default: z.boolean().optional(),
});

/** channels: src/config/types.rs ChannelsConfig, the channels the fleet can run. */
export const channelsSchema = z.strictObject({
    telegram: telegramSchema.optional(),
    whatsapp_cloud: whatsappCloudSchema.optional(),
});
