import Docker from "dockerode";
import { renderDaemonConfig } from "../../lib/host/daemonConfig";

const docker = new Docker({ socketPath: "/var/run/docker.sock" });

test("the suite's engine runs with the daemon.json the program renders for fleet hosts", async () => {
    const rendered = renderDaemonConfig() as Record<string, unknown>;
    const info = await docker.info();
    // Started by `npm run engine:setup` with --config-file; an engine started otherwise fails here.
    expect(info.LiveRestoreEnabled).toBe(rendered["live-restore"]);
    expect(info.LoggingDriver).toBe(rendered["log-driver"]);
    const bridge = await docker.getNetwork("bridge").inspect();
    expect(bridge.Options?.["com.docker.network.bridge.enable_icc"]).toBe("false");
});
