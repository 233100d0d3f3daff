/** The ssh daemon drop-in: keys only, never passwords. */
export const sshdHardening = [
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitRootLogin prohibit-password",
    "",
].join("\n");
