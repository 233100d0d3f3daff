import { HetznerStackConfig } from "../../lib/config/stackConfig";

/**
 * A prod stack's settings: one Hetzner server, set up as Pulumi.prod.yaml sets up its own. Backups
 * and fleet policy stay at their defaults; the tests about them add them.
 */
export const prodStack = {
    hostKind: "hetzner",
    hostName: "fsn1-a",
    serverType: "cx32",
    serverLocation: "fsn1",
    serverImage: "debian-12",
    protectHost: true,
    sshAllowedCidrs: ["203.0.113.0/24"],
    sshPublicKeys: [
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBqp7Pw1j2mV7qFx0kqmCk2rE1vV9Qm6b0fA8f3o6c1H ops@example.com",
    ],
} satisfies Partial<HetznerStackConfig>;

/** The credentials a Storage Box backup needs, set as `pulumi config set --secret` would. */
export const prodBackupSecrets = {
    backupPassword: "restic-password-0123456789-abcdef",
    backupStorageBoxPassword: "storage-box-password-0123456789",
};

/** Config values as Pulumi stores them: strings as they are, anything else JSON-encoded. */
export function storedConfig(config: Readonly<Record<string, unknown>>): Record<string, string> {
    return Object.fromEntries(
        Object.entries(config).map(([key, value]) => [
            key,
            typeof value === "string" ? value : JSON.stringify(value),
        ]),
    );
}
