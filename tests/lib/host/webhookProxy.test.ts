import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { renderCaddyfile, webhookProxyScript, webhookRoutes } from "../../../lib/host/webhookProxy";
import { webhookHostPort } from "../../../lib/docker/webhookListener";
import { Tenant } from "../../../lib/tenants/tenant";
import { tenantOf, whatsappCloudChannel } from "../../support/tenantFiles";
import { shellcheck } from "../../support/shellcheck";
import { tempDir } from "../../support/tempDir";

function whatsappTenant(name: string, uid: number): Tenant {
    const tenant = tenantOf(name, {
        zeptoclaw: {
            providers: { anthropic: { api_key: { secret: "anthropicApiKey" } } },
            channels: {
                whatsapp_cloud: whatsappCloudChannel,
            },
        },
    });
    return { ...tenant, uid };
}

/** caddy's JSON config for a Caddyfile, as Caddy itself adapts it (tests/support/unitTestTools.ts). */
function adapt(caddyfile: string): any {
    const dir = tempDir("zc-caddy-");
    const file = path.join(dir, "Caddyfile");
    fs.writeFileSync(file, caddyfile);
    const env = { ...process.env, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, HOME: dir };
    // validate provisions every module, as `caddy run` would, without listening.
    execFileSync("caddy", ["validate", "--adapter", "caddyfile", "--config", file], { env, stdio: "pipe" });
    return JSON.parse(
        execFileSync("caddy", ["adapt", "--adapter", "caddyfile", "--config", file], { env }).toString(),
    );
}

const routes = [
    { tenant: "shop-a", port: 23_001 },
    { tenant: "shop-b", port: 23_002 },
];

describe("the webhook proxy's Caddyfile", () => {
    test("routes only the tenants that receive webhooks, each at its own port, in name order", () => {
        const a = whatsappTenant("shop-a", 10_000_001);
        const z = whatsappTenant("shop-z", 10_000_002);
        expect(webhookRoutes([z, tenantOf("shop-t"), a])).toEqual([
            { tenant: "shop-a", port: webhookHostPort(a) },
            { tenant: "shop-z", port: webhookHostPort(z) },
        ]);
    });

    test("Caddy accepts it: one site for the domain with ACME's contact, each tenant's exact path to its port", () => {
        const json = adapt(
            renderCaddyfile({ domain: "hooks.example.com", acmeEmail: "ops@example.com", routes }),
        );
        const server = Object.values(json.apps.http.servers as Record<string, any>)[0];
        expect(server.listen).toEqual([":443"]);
        const site = server.routes[0];
        expect(site.match).toEqual([{ host: ["hooks.example.com"] }]);
        const handles = site.handle[0].routes as any[];
        const text = JSON.stringify(handles);
        // Each tenant: exactly /<tenant>/whatsapp, prefix stripped, to 127.0.0.1:<its port>.
        expect(handles.map((h) => h.match?.[0]?.path)).toEqual([
            ["/shop-a/whatsapp"],
            ["/shop-b/whatsapp"],
            undefined,
        ]);
        expect(text).toContain('"strip_path_prefix":"/shop-a"');
        expect(text).toContain('"dial":"127.0.0.1:23001"');
        expect(text).toContain('"dial":"127.0.0.1:23002"');
        // Everything else: Caddy's own 404.
        expect(JSON.stringify(handles[2].handle)).toBe(
            JSON.stringify([
                {
                    handler: "subroute",
                    routes: [{ handle: [{ handler: "static_response", status_code: 404 }] }],
                },
            ]),
        );
        expect(JSON.stringify(json.apps.tls ?? {})).toContain("ops@example.com");
    });

    test("the test-only local form uses Caddy's internal CA on loopback high ports, the system untouched", () => {
        const json = adapt(
            renderCaddyfile({ domain: "hooks.test", routes, local: { httpPort: 28_080, httpsPort: 28_443 } }),
        );
        expect(json.admin).toEqual({ disabled: true });
        const server = Object.values(json.apps.http.servers as Record<string, any>)[0];
        expect(server.listen).toEqual(["127.0.0.1:28443"]);
        expect(json.apps.tls.automation.policies[0].issuers).toEqual([{ module: "internal" }]);
        expect(json.apps.pki.certificate_authorities.local.install_trust).toBe(false);
    });

    test("the configure step installs Caddy and swaps in only a Caddyfile Caddy validates", () => {
        const caddyfile = renderCaddyfile({ domain: "hooks.example.com", routes });
        const script = webhookProxyScript(caddyfile);
        const encoded = /<<'ZEPTOCLAW_FLEET_CADDYFILE'\n(.*)\nZEPTOCLAW_FLEET_CADDYFILE/.exec(script)?.[1];
        expect(Buffer.from(encoded ?? "", "base64").toString()).toBe(caddyfile);
        expect(script).toMatch(/apt-get install -y -qq caddy/);
        expect(script.indexOf("caddy validate")).toBeLessThan(script.indexOf("mv -f"));
        expect(webhookProxyScript(undefined)).toMatch(/systemctl disable --now caddy\.service/);
        for (const text of [script, webhookProxyScript(undefined)]) {
            shellcheck(`#!/bin/bash\nset -euo pipefail\n${text}`);
        }
    });
});
