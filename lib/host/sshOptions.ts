/**
 * ssh options that verify the host against the key we generated for it, without a
 * known_hosts file: OpenSSH (8.5 or newer) runs KnownHostsCommand to learn the expected key.
 * Verification stays strict; a host presenting another key is refused.
 */
export function pinnedHostKeySshOptions(address: string, hostPublicKey: string): string[] {
    const [keyType] = hostPublicKey.trim().split(" ");
    return [
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "GlobalKnownHostsFile=/dev/null",
        "-o",
        `HostKeyAlgorithms=${keyType}`,
        "-o",
        `KnownHostsCommand=/bin/echo ${knownHostsLine(address, hostPublicKey)}`,
    ];
}

/** The known_hosts line for the host, for operators' own ssh clients. */
export function knownHostsLine(address: string, hostPublicKey: string): string {
    return `${address} ${hostPublicKey.trim()}`;
}
