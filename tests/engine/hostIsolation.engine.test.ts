import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { renderTenantFirewallScript } from "../../lib/host/tenantFirewall";
import { runProgram } from "../support/runProgram";
import { runnableSecretsFor, runnableSettings, tenantYaml } from "../support/tenantFiles";
import { EngineAdapter, removeLabelled } from "./support/engineAdapter";
import { execIn } from "./support/engineHelpers";

jest.setTimeout(10 * 60_000);

// A network namespace of the suite's own stands in for the world behind the host's default
// route: it holds the metadata address and an "internet" address, each with a listener.
const ns = "zc-testnet";
const metadata = "169.254.169.254";
const internet = "203.0.113.10";
// The link between the host and the namespace; checked unused on this machine before any use.
const linkHost = "100.64.254.1";
const linkNs = "100.64.254.2";
const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const adapter = new EngineAdapter(docker, `iso-${process.pid}`);
const configRoot = fs.mkdtempSync(path.join(os.tmpdir(), "zc-iso-"));
const scriptPath = path.join(configRoot, "firewall.sh");
let responder: ChildProcess | undefined;
let hostListener: net.Server | undefined;
let gateway = "";

const sh = (cmd: string) => execFileSync("sh", ["-c", cmd], { stdio: "pipe" }).toString();

function removeNamespace(): void {
    // The routes through the link go with it; no other route of this machine is touched.
    sh(`ip netns del ${ns} 2>/dev/null || true; ip link del zc-testnet-h 2>/dev/null || true`);
}

/** Undoes what the firewall script adds, so the machine is as before. */
function removeFirewallRules(): void {
    sh("while iptables -D DOCKER-USER -i zc-tenants -d 169.254.0.0/16 -j DROP 2>/dev/null; do :; done");
    sh("while iptables -D INPUT -i zc-tenants -j DROP 2>/dev/null; do :; done");
}

/** Whether tenant `iso-a` opens a TCP connection to host:port. */
async function tenantReaches(host: string, port: number): Promise<boolean> {
    // The probe resets the connection on purpose, every time: a listener that cannot take a
    // reset fails here at once rather than now and then.
    const connectThenReset = [
        "import socket,struct,sys",
        "s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)",
        "s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))",
        "s.close()",
    ].join("\n");
    const probe = ["python3", "-c", connectThenReset, host, String(port)];
    return (await execIn(docker, "zc-iso-a", probe)).code === 0;
}

/** The suite's addresses must be free on this machine, or its traffic could leave it. */
function assertAddressesUnused(): void {
    const addresses = sh("ip -o addr show");
    const routes = sh("ip route show table all");
    for (const taken of ["100.64.254.", internet, metadata]) {
        if (addresses.includes(taken) || (taken !== metadata && routes.includes(taken))) {
            throw new Error(`this machine already uses ${taken}; the isolation suite will not share it`);
        }
    }
}

beforeAll(async () => {
    removeNamespace();
    assertAddressesUnused();
    removeFirewallRules();
    sh(`ip netns add ${ns}`);
    sh(`ip link add zc-testnet-h type veth peer name zc-testnet-n && ip link set zc-testnet-n netns ${ns}`);
    sh(`ip addr add ${linkHost}/30 dev zc-testnet-h && ip link set zc-testnet-h up`);
    sh(`ip -n ${ns} addr add ${linkNs}/30 dev zc-testnet-n`);
    sh(`ip -n ${ns} link set zc-testnet-n up && ip -n ${ns} link set lo up`);
    sh(`ip -n ${ns} addr add ${metadata}/32 dev lo && ip -n ${ns} addr add ${internet}/32 dev lo`);
    sh(`ip route add ${metadata}/32 via ${linkNs} dev zc-testnet-h`);
    sh(`ip route add ${internet}/32 via ${linkNs} dev zc-testnet-h`);
    // Never probe a real metadata service: both addresses must now route into the namespace.
    for (const address of [metadata, internet]) {
        const route = sh(`ip route get ${address}`);
        if (!route.includes("dev zc-testnet-h")) {
            throw new Error(
                `${address} does not route to the test namespace (${route.trim()}); refusing to probe it`,
            );
        }
    }
    // Each listener outlives a probe's reset: a dead listener thread would turn "reachable" false.
    const listeners = `import socket,threading
def serve(addr):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((addr, 80)); s.listen(16)
    while True:
        c, _ = s.accept()
        try: c.sendall(b"hello\\n")
        except OSError: pass
        c.close()
for a in ("${metadata}", "${internet}"):
    threading.Thread(target=serve, args=(a,), daemon=True).start()
threading.Event().wait()`;
    responder = spawn("ip", ["netns", "exec", ns, "python3", "-c", listeners], { stdio: "ignore" });

    await removeLabelled(docker);
    const run = await runProgram({
        tenantFiles: {
            "iso-a.yaml": tenantYaml("iso-a", { stacks: ["dev"], zeptoclaw: runnableSettings() }),
        },
        tenantSecrets: runnableSecretsFor(["iso-a"]),
        config: { configRoot, imageSource: "build", imageContext: "tests/fixtures/zeptoclaw-standin" },
    });
    await adapter.apply(run);
    gateway = (await docker.getNetwork("zc-tenants").inspect()).IPAM?.Config?.[0]?.Gateway ?? "";
    hostListener = net.createServer((s) => {
        // Probes close without reading (tenantReaches resets on purpose); unhandled, the reset
        // would fail whichever test is running, as it once did in CI.
        s.on("error", () => undefined);
        s.end("host\n");
    });
    await new Promise<void>((r) => hostListener?.listen(18099, gateway, r));
});

afterAll(async () => {
    removeFirewallRules();
    responder?.kill();
    hostListener?.close();
    removeNamespace();
    await adapter.removeEverything();
    fs.rmSync(configRoot, { recursive: true, force: true });
});

test("with the rendered firewall, tenants reach the internet but neither the metadata service nor the host", async () => {
    // Controls: without the firewall, the tenant reaches all three, so a refusal below is the firewall's.
    expect(await tenantReaches(metadata, 80)).toBe(true);
    expect(await tenantReaches(gateway, 18099)).toBe(true);
    expect(await tenantReaches(internet, 80)).toBe(true);

    fs.writeFileSync(scriptPath, renderTenantFirewallScript(), { mode: 0o755 });
    sh(scriptPath);
    // Twice: the script is idempotent and adds no duplicate rules.
    sh(scriptPath);
    expect(sh("iptables -S INPUT").match(/-i zc-tenants -j DROP/g)).toHaveLength(1);

    expect(await tenantReaches(metadata, 80)).toBe(false);
    expect(await tenantReaches(gateway, 18099)).toBe(false);
    expect(await tenantReaches(internet, 80)).toBe(true);
    expect((await docker.getContainer("zc-iso-a").inspect()).State.Health?.Status).toBe("healthy");
});
