import { z } from "zod";

/**
 * A key ZeptoClaw has but a tenant file may not set, with the reason as the error: a key upstream
 * never reads, or one the fleet sets itself.
 */
export function refusedKey(reason: string) {
    return z.undefined({ error: reason }).optional();
}
