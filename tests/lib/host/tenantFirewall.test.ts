import { renderConfigureScript } from "../../../lib/host/configureHost";
import { renderHostFiles } from "../../../lib/host/hostFiles";
import { renderTenantFirewallScript } from "../../../lib/host/tenantFirewall";
import { shellcheck } from "../../support/shellcheck";

describe("host firewall", () => {
    test("drops tenants' traffic to link-local addresses and to the host, and passes shellcheck", () => {
        const script = renderTenantFirewallScript();
        expect(script).toMatch(/add_rule DOCKER-USER -i zc-tenants -d 169\.254\.0\.0\/16 -j DROP/);
        expect(script).toMatch(/add_rule INPUT -i zc-tenants -j DROP/);
        shellcheck(script);
    });

    test("the configure step installs it as a unit that runs after Docker, and enables it", () => {
        const files = renderHostFiles({ sshPublicKeys: ["ssh-ed25519 A"], dataVolume: true });
        const unit = files.find((f) => f.path === "/etc/systemd/system/zeptoclaw-fleet-firewall.service");
        expect(unit?.content).toMatch(/After=docker\.service/);
        const script = renderConfigureScript({ files, backup: false });
        expect(script).toMatch(/^systemctl enable --now zeptoclaw-fleet-firewall\.service /m);
        expect(script).toMatch(
            /was_changed \/usr\/local\/sbin\/zeptoclaw-fleet-firewall .*\n\s+systemctl restart zeptoclaw-fleet-firewall\.service/,
        );
    });
});
