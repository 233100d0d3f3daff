import { renderConfigureScript } from "../../../lib/host/configureHost";
import { renderHostFiles } from "../../../lib/host/hostFiles";
import { pidsLimitPaths, renderPidsLimitScript } from "../../../lib/host/pidsLimit";
import { shellcheck } from "../../support/shellcheck";

describe("PidsLimit service", () => {
    test("the script watches gateway creations before it sweeps the gateways there, and passes shellcheck", () => {
        const script = renderPidsLimitScript();
        shellcheck(script);
        const watch = script.indexOf("docker events --filter type=container --filter event=create");
        const sweep = script.indexOf("docker ps --all --quiet --no-trunc");
        expect(watch).toBeGreaterThan(0);
        expect(sweep).toBeGreaterThan(watch);
        expect(script).toContain('gateways="label=com.zeptoclaw.role=gateway"');
        expect(script).toMatch(/docker update --pids-limit "\$limit" "\$id"/);
    });

    test("the host keeps it running: its unit restarts it, the configure step enables it and restarts it when it changed", () => {
        const files = renderHostFiles({ sshPublicKeys: ["ssh-ed25519 A"], dataVolume: true });
        const unit = files.find((f) => f.path === `/etc/systemd/system/${pidsLimitPaths.unit}`);
        expect(unit?.content).toMatch(/^Requires=docker\.service$/m);
        expect(unit?.content).toMatch(/^Restart=always$/m);
        expect(files.find((f) => f.path === pidsLimitPaths.script)?.mode).toBe("0755");
        const configure = renderConfigureScript({ files, backup: false });
        expect(configure).toMatch(
            /if was_changed \/usr\/local\/sbin\/zeptoclaw-fleet-pids-limit \|\| was_changed \/etc\/systemd\/system\/zeptoclaw-fleet-pids-limit\.service; then\n\s+systemctl restart zeptoclaw-fleet-pids-limit\.service/,
        );
        expect(configure).toMatch(/^systemctl enable --now .*zeptoclaw-fleet-pids-limit\.service/m);
    });
});
