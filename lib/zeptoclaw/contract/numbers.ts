import { z } from "zod";

/** Rust's u32 and u64 (as far as JSON numbers stay exact in JavaScript). */
export const u32 = z.number().int().min(0).max(4_294_967_295);
export const u64 = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
