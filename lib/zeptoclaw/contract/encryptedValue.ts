import { z } from "zod";
import { citing } from "./upstream";

/**
 * ZeptoClaw decrypts every string of its config that looks like `ENC[...]` with the key in
 * ZEPTOCLAW_MASTER_KEY before reading it, and refuses to start without that key. The fleet never
 * sets it, so such a value can only stop the tenant.
 */
export function isEncryptedValue(value: string): boolean {
    return value.startsWith("ENC[") && value.endsWith("]");
}

export const encryptedValueMessage = citing(
    "is an ENC[...] value: ZeptoClaw would decrypt it with ZEPTOCLAW_MASTER_KEY, which zeptoclaw-fleet never sets, " +
        "and refuse to start; store the plain value as a secret instead (secrets are encrypted in the stack config)",
    "src/config/mod.rs Config::load_from_path, src/security/encryption.rs SecretEncryption::is_encrypted",
);

/** A free-text value of the config (the given string schema), refusing `ENC[...]`. */
export function plain(text: z.ZodString) {
    return text.refine((s) => !isEncryptedValue(s), { error: encryptedValueMessage });
}
