import { renderConfigureScript } from "../../../lib/host/configureHost";
import { renderHostFiles } from "../../../lib/host/hostFiles";
import { renderWatchdogScript } from "../../../lib/host/watchdog";
import { shellcheck } from "../../support/shellcheck";

describe("watchdog", () => {
    test("restarts only unhealthy tenant gateways, passes shellcheck, and runs every 30 s once the host is configured", () => {
        const script = renderWatchdogScript();
        expect(script).toMatch(
            /docker ps --quiet --filter "label=com\.zeptoclaw\.role=gateway" --filter health=unhealthy/,
        );
        expect(script).toMatch(/docker restart --time 10 "\$id"/);
        shellcheck(script);
        const files = renderHostFiles({ sshPublicKeys: ["ssh-ed25519 A"], dataVolume: true });
        const timer = files.find((f) => f.path === "/etc/systemd/system/zeptoclaw-fleet-watchdog.timer");
        expect(timer?.content).toMatch(/OnUnitActiveSec=30s/);
        expect(renderConfigureScript({ files, backup: false })).toMatch(
            /^systemctl enable --now zeptoclaw-fleet-firewall\.service zeptoclaw-fleet-pids-limit\.service zeptoclaw-fleet-watchdog\.timer$/m,
        );
    });
});
