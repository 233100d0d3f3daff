import { receivesWebhooks, webhookHostPort, webhookListener } from "../docker/webhookListener";
import { Tenant } from "../tenants/tenant";

/** One tenant's route: `https://<domain>/<tenant>/whatsapp` to its listener on the host's loopback. */
export interface WebhookRoute {
    tenant: string;
    /** Its listener's loopback port (webhookHostPort). */
    port: number;
}

export interface CaddyfileInput {
    /** The host's DNS name, as in webhookDomain. */
    domain: string;
    /** The ACME account's contact address; undefined registers without one. */
    acmeEmail?: string;
    routes: ReadonlyArray<WebhookRoute>;
    /**
     * Tests only, never a stack setting: Caddy's own CA instead of ACME, on 127.0.0.1 at these
     * ports, without touching the system's trust store or opening its admin API.
     */
    local?: { httpPort: number; httpsPort: number };
}

/** The host's webhook routes, one per tenant that receives webhooks, in name order. */
export function webhookRoutes(tenants: ReadonlyArray<Tenant>): WebhookRoute[] {
    return tenants
        .filter(receivesWebhooks)
        .map((t) => ({ tenant: t.name, port: webhookHostPort(t) }))
        .sort((a, b) => a.tenant.localeCompare(b.tenant));
}

/**
 * The Caddyfile of the host's webhook proxy (Debian's caddy package, 2.6). Each tenant's route is
 * the one exact path its listener serves, prefixed with the tenant's name; the prefix is
 * stripped (the query string kept, where Meta's verification GET carries its token) and the
 * request goes to that tenant's listener alone. Anything else, another tenant's listener
 * included, exists only through that tenant's own path; every other path is a 404 from Caddy.
 * Certificates for the domain come from ACME, with Caddy's default issuers.
 */
export function renderCaddyfile(input: CaddyfileInput): string {
    const global = [
        ...(input.acmeEmail === undefined ? [] : [`email ${input.acmeEmail}`]),
        ...(input.local === undefined
            ? []
            : [
                  "admin off",
                  "skip_install_trust",
                  `http_port ${input.local.httpPort}`,
                  `https_port ${input.local.httpsPort}`,
              ]),
    ];
    const site = [
        ...(input.local === undefined ? [] : ["bind 127.0.0.1", "tls internal"]),
        ...input.routes.flatMap((r) => [
            `handle /${r.tenant}${webhookListener.path} {`,
            `\turi strip_prefix /${r.tenant}`,
            `\treverse_proxy 127.0.0.1:${r.port}`,
            "}",
        ]),
        "handle {",
        "\trespond 404",
        "}",
    ];
    return [
        "# Written by zeptoclaw-fleet: each tenant's webhook path goes to that tenant's listener only.",
        ...(global.length === 0 ? [] : ["{", ...global.map((l) => `\t${l}`), "}", ""]),
        `${input.domain} {`,
        ...site.map((l) => `\t${l}`),
        "}",
        "",
    ].join("\n");
}

/** Where Debian's caddy.service reads its configuration. */
export const caddyfilePath = "/etc/caddy/Caddyfile";

/**
 * Bash for the end of the configure step: with a Caddyfile, install Debian's caddy if missing,
 * replace its Caddyfile when it differs (only once `caddy validate` accepts it, so a bad file
 * never replaces a working one) and reload; without one, stop a proxy a former configuration
 * started.
 */
export function webhookProxyScript(caddyfile: string | undefined): string {
    if (caddyfile === undefined) {
        return `if systemctl is-enabled --quiet caddy.service 2>/dev/null; then
    systemctl disable --now caddy.service
fi
`;
    }
    const encoded = Buffer.from(caddyfile).toString("base64");
    return `if ! command -v caddy >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq caddy
fi
caddy_tmp=$(mktemp ${caddyfilePath}.XXXXXX)
base64 -d >"$caddy_tmp" <<'ZEPTOCLAW_FLEET_CADDYFILE'
${encoded}
ZEPTOCLAW_FLEET_CADDYFILE
chmod 0644 "$caddy_tmp"
if cmp -s "$caddy_tmp" ${caddyfilePath}; then
    rm -f "$caddy_tmp"
else
    caddy validate --adapter caddyfile --config "$caddy_tmp" || {
        rm -f "$caddy_tmp"
        echo "zeptoclaw-fleet configure: caddy refused the new Caddyfile; it keeps the old one" >&2
        exit 1
    }
    mv -f "$caddy_tmp" ${caddyfilePath}
    systemctl enable caddy.service
    systemctl reload-or-restart caddy.service
fi
systemctl enable --now caddy.service
`;
}

/** The configure step's webhook proxy for a stack: routes for `tenants` at `domain`, or none. */
export function webhookProxyFor(
    tenants: ReadonlyArray<Tenant>,
    domain: string | undefined,
    acmeEmail: string | undefined,
): string {
    return webhookProxyScript(
        domain === undefined
            ? undefined
            : renderCaddyfile({ domain, acmeEmail, routes: webhookRoutes(tenants) }),
    );
}
