import { z } from "zod";

export const secretNamePattern = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** `{secret: NAME}`: where a key or token goes; its value lives in the stack config. */
export const secretRef = z.strictObject(
    {
        secret: z.string().regex(secretNamePattern, {
            error: "a secret name starts with a letter and has only letters, digits, '_' and '-' (at most 64)",
        }),
    },
    {
        error: (issue) =>
            issue.input === undefined
                ? undefined
                : "must be a secret reference such as {secret: telegramBotToken}: secrets never live in tenants/, " +
                  "they are set with `pulumi config set --secret`",
    },
);
export type SecretRef = z.infer<typeof secretRef>;
