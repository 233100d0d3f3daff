import { ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import * as fs from "node:fs";
import * as https from "node:https";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { healthPort } from "../../lib/docker/tenantContainers";
import { webhookHostPort } from "../../lib/docker/webhookListener";
import { renderCaddyfile } from "../../lib/host/webhookProxy";
import { derivedTenantUid } from "../../lib/tenants/tenantUid";
import { runProgram } from "../support/runProgram";
import {
    runnableSecretsFor,
    runnableSettings,
    tenantYaml,
    whatsappCloudChannel,
} from "../support/tenantFiles";
import { EngineAdapter, removeLabelled } from "./support/engineAdapter";
import { canConnect, eventually, execIn } from "./support/engineHelpers";

jest.setTimeout(5 * 60_000);

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const adapter = new EngineAdapter(docker, `webhooks-${process.pid}`);
const tenants = ["hook-a", "hook-b"] as const;
const domain = "webhooks.test";

/** Each tenant's own WhatsApp secrets, distinct so that a crossed route would show. */
const whatsapp = Object.fromEntries(
    tenants.map((t) => [
        t,
        {
            whatsappCloudAccessToken: `EAAG-${t}-access`,
            whatsappWebhookVerifyToken: `verify-${t}`,
            whatsappAppSecret: `app-secret-${t}-0123456789`,
        },
    ]),
);

function file(name: string): string {
    const settings = runnableSettings();
    return tenantYaml(name, {
        stacks: ["dev"],
        zeptoclaw: {
            ...settings,
            channels: {
                whatsapp_cloud: whatsappCloudChannel,
            },
        },
    });
}

/** A port the kernel hands out on loopback now, for Caddy to listen on. */
function freeLoopbackPort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

let configRoot = "";
let caddyDir = "";
let caddy: ChildProcess | undefined;
let caddyLog = "";
let httpsPort = 0;
let rootCa = "";

beforeAll(async () => {
    // This suite's own leftovers only: another run's objects are not touched.
    await removeLabelled(docker, adapter.runId);
    for (const t of tenants) {
        await docker
            .getContainer(`zc-${t}`)
            .remove({ force: true, v: true })
            .catch(() => undefined);
    }
    configRoot = fs.mkdtempSync(path.join(os.tmpdir(), "zc-webhooks-config-"));
    caddyDir = fs.mkdtempSync(path.join(os.tmpdir(), "zc-webhooks-caddy-"));

    const secrets = runnableSecretsFor(tenants);
    const run = await runProgram({
        stack: "dev",
        tenantFiles: Object.fromEntries(tenants.map((t) => [`${t}.yaml`, file(t)])),
        tenantSecrets: Object.fromEntries(tenants.map((t) => [t, { ...secrets[t], ...whatsapp[t] }])),
        config: { configRoot, imageSource: "build", imageContext: "tests/fixtures/zeptoclaw-standin" },
    });
    await adapter.apply(run);

    // The Caddyfile the configure step would write, in its test-only form: Caddy's own CA and
    // loopback ports, so nothing leaves this machine.
    httpsPort = await freeLoopbackPort();
    const caddyfile = renderCaddyfile({
        domain,
        routes: tenants.map((t) => ({ tenant: t, port: webhookHostPort({ uid: derivedTenantUid(t) }) })),
        local: { httpPort: await freeLoopbackPort(), httpsPort },
    });
    fs.writeFileSync(path.join(caddyDir, "Caddyfile"), caddyfile);
    caddy = spawn("caddy", ["run", "--adapter", "caddyfile", "--config", path.join(caddyDir, "Caddyfile")], {
        env: { ...process.env, XDG_DATA_HOME: caddyDir, XDG_CONFIG_HOME: caddyDir, HOME: caddyDir },
        stdio: ["ignore", "pipe", "pipe"],
    });
    caddy.stdout?.on("data", (c: Buffer) => (caddyLog += c.toString()));
    caddy.stderr?.on("data", (c: Buffer) => (caddyLog += c.toString()));
    const rootCaFile = path.join(caddyDir, "caddy/pki/authorities/local/root.crt");
    await eventually("Caddy listens with its internal CA", 30_000, async () => {
        if (caddy?.exitCode !== null) {
            throw new Error(`caddy exited:\n${caddyLog}`);
        }
        return fs.existsSync(rootCaFile) && (await canConnect("127.0.0.1", httpsPort));
    });
    rootCa = fs.readFileSync(rootCaFile, "utf8");
});

afterAll(async () => {
    if (caddy !== undefined && caddy.exitCode === null) {
        const exited = new Promise((resolve) => caddy?.once("exit", resolve));
        caddy.kill("SIGTERM");
        await exited;
    }
    await adapter.removeEverything();
    fs.rmSync(configRoot, { recursive: true, force: true });
    fs.rmSync(caddyDir, { recursive: true, force: true });
});

interface Reply {
    status: number;
    body: string;
}

/** One HTTPS request to the proxy on loopback, trusting only Caddy's internal root CA. */
function request(
    method: string,
    target: string,
    body?: string,
    headers: Record<string, string> = {},
): Promise<Reply> {
    return new Promise((resolve, reject) => {
        const req = https.request(
            {
                host: "127.0.0.1",
                port: httpsPort,
                servername: domain,
                ca: rootCa,
                method,
                path: target,
                headers: {
                    Host: domain,
                    ...(body === undefined
                        ? {}
                        : { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) }),
                    ...headers,
                },
            },
            (res) => {
                let text = "";
                res.on("data", (c: Buffer) => (text += c.toString()));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
            },
        );
        req.on("error", reject);
        req.end(body);
    });
}

/** A Meta notification of one text message, and its X-Hub-Signature-256 under `appSecret`. */
function notification(id: string, appSecret: string): { body: string; signature: string } {
    const body = JSON.stringify({
        object: "whatsapp_business_account",
        entry: [
            {
                changes: [
                    {
                        value: {
                            messages: [
                                {
                                    from: "60123456789",
                                    id,
                                    timestamp: "1700000000",
                                    type: "text",
                                    text: { body: "hi" },
                                },
                            ],
                        },
                    },
                ],
            },
        ],
    });
    return { body, signature: `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}` };
}

function post(tenant: string, message: { body: string; signature: string }): Promise<Reply> {
    return request("POST", `/${tenant}/whatsapp`, message.body, { "X-Hub-Signature-256": message.signature });
}

/** The message ids a tenant's listener published (tests/fixtures/zeptoclaw-standin /standin/status). */
async function received(tenant: string): Promise<string[]> {
    const result = await execIn(docker, `zc-${tenant}`, [
        "wget",
        "-q",
        "-O",
        "-",
        `http://127.0.0.1:${healthPort}/standin/status`,
    ]);
    expect(result.code).toBe(0);
    return (JSON.parse(result.output) as { whatsapp_messages: string[] }).whatsapp_messages;
}

test("each tenant's listener is published on the host's loopback only, at the port its route names", async () => {
    for (const t of tenants) {
        const { HostConfig } = await docker.getContainer(`zc-${t}`).inspect();
        expect(HostConfig.PortBindings).toEqual({
            "9877/tcp": [
                { HostIp: "127.0.0.1", HostPort: String(webhookHostPort({ uid: derivedTenantUid(t) })) },
            ],
        });
    }
});

test("a tenant reaches another's listener neither on its container address nor at its loopback publish", async () => {
    const a = await docker.getContainer("zc-hook-a").inspect();
    const [network] = Object.values(a.NetworkSettings.Networks);
    const port = webhookHostPort({ uid: derivedTenantUid("hook-a") });
    const verify = "/whatsapp?hub.mode=subscribe&hub.verify_token=verify-hook-a&hub.challenge=1";
    // Control: A's own listener answers inside A.
    const own = await execIn(docker, "zc-hook-a", [
        "wget",
        "-q",
        "-T",
        "3",
        "-O",
        "-",
        `http://127.0.0.1:9877${verify}`,
    ]);
    expect(own).toEqual({ code: 0, output: "1" });
    for (const url of [
        `http://${network.IPAddress}:9877${verify}`,
        `http://${network.Gateway}:${port}${verify}`,
        `http://127.0.0.1:${port}${verify}`,
    ]) {
        const result = await execIn(docker, "zc-hook-b", [
            "wget",
            "-q",
            "-T",
            "3",
            "-t",
            "1",
            "-O",
            "-",
            url,
        ]);
        expect({ url, code: result.code === 0 ? 0 : "failed" }).toEqual({ url, code: "failed" });
    }
});

test("Meta's verification GET gets the challenge back only with the tenant's own verify token", async () => {
    const verify = (tenant: string, token: string) =>
        request(
            "GET",
            `/${tenant}/whatsapp?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`,
        );
    expect(await verify("hook-a", "verify-hook-a")).toEqual({ status: 200, body: "1158201444" });
    expect(await verify("hook-b", "verify-hook-b")).toEqual({ status: 200, body: "1158201444" });
    expect((await verify("hook-a", "verify-hook-b")).status).toBe(403);
    expect((await verify("hook-a", "wrong")).status).toBe(403);
});

test("a signed webhook reaches its tenant only; B's signature on A's path and a bad signature are refused", async () => {
    expect(await post("hook-a", notification("wamid.A1", "app-secret-hook-a-0123456789"))).toEqual({
        status: 200,
        body: "",
    });
    // A's path, signed with B's app secret: A refuses it, and B never sees it.
    expect((await post("hook-a", notification("wamid.A-by-B", "app-secret-hook-b-0123456789"))).status).toBe(
        403,
    );
    expect(
        (await post("hook-a", { ...notification("wamid.A-bad", "x"), signature: "sha256=00" })).status,
    ).toBe(403);
    const unsigned = notification("wamid.A-unsigned", "x");
    expect((await request("POST", "/hook-a/whatsapp", unsigned.body)).status).toBe(403);
    expect(await post("hook-b", notification("wamid.B1", "app-secret-hook-b-0123456789"))).toEqual({
        status: 200,
        body: "",
    });
    expect(await received("hook-a")).toEqual(["wamid.A1"]);
    expect(await received("hook-b")).toEqual(["wamid.B1"]);
});

test("paths outside the tenants' callback paths are Caddy's 404 and reach no tenant", async () => {
    const signed = notification("wamid.stray", "app-secret-hook-a-0123456789");
    for (const target of [
        "/hook-a/other",
        "/hook-a",
        "/whatsapp",
        "/hook-c/whatsapp",
        "/hook-a/whatsapp/x",
    ]) {
        expect({
            target,
            status: (await request("POST", target, signed.body, { "X-Hub-Signature-256": signed.signature }))
                .status,
        }).toEqual({
            target,
            status: 404,
        });
    }
    expect(await received("hook-a")).not.toContain("wamid.stray");
    expect(await received("hook-b")).not.toContain("wamid.stray");
});
