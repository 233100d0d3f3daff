import { pinnedHostKeySshOptions } from "../../../lib/host/sshOptions";

describe("pinnedHostKeySshOptions", () => {
    test("ssh options verify the host key strictly and never fall back to trusting it", () => {
        const opts = pinnedHostKeySshOptions("198.51.100.7", "ssh-ed25519 AAAAkey\n");
        expect(opts).toContain("StrictHostKeyChecking=yes");
        expect(opts.join(" ")).not.toMatch(/StrictHostKeyChecking=(no|accept-new)/);
        expect(opts).toContain("KnownHostsCommand=/bin/echo 198.51.100.7 ssh-ed25519 AAAAkey");
        expect(opts).toContain("HostKeyAlgorithms=ssh-ed25519");
    });
});
