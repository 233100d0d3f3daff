import { StackConfig } from "../config/stackConfig";
import { InputProblem } from "../errors";
import { Tenant } from "../tenants/tenant";

/**
 * Where a tenant's WhatsApp Cloud webhook server listens inside its own container. 0.0.0.0 there
 * is the container's own network namespace: upstream's default 127.0.0.1 would be unreachable
 * from everywhere else (src/config/types.rs default_whatsapp_cloud_bind). Port and path are
 * upstream's defaults (default_whatsapp_cloud_port, default_whatsapp_cloud_path).
 */
export const webhookListener = { bindAddress: "0.0.0.0", port: 9877, path: "/whatsapp" } as const;

/**
 * The host ports, on 127.0.0.1 only, at which tenants' listeners are published for the host's
 * proxy: below Linux's ephemeral range (32768-60999), where outgoing connections take theirs.
 */
export const webhookHostPortRange = { min: 20_000, max: 32_767 } as const;

/** Whether the tenant runs the WhatsApp Cloud channel, whose webhooks the host must route to it. */
export function receivesWebhooks(tenant: Tenant): boolean {
    return tenant.zeptoclaw.channels.whatsapp_cloud?.enabled === true;
}

/**
 * The loopback port the tenant's listener is published at. It derives from the tenant's uid,
 * which is stable and unique, so re-creating the container, or adding or removing another
 * tenant, never moves it.
 */
export function webhookHostPort(tenant: Pick<Tenant, "uid">): number {
    const span = webhookHostPortRange.max - webhookHostPortRange.min + 1;
    return webhookHostPortRange.min + (tenant.uid % span);
}

/** Two webhook tenants whose uids give the same port would receive each other's webhooks. */
export function webhookPortProblems(tenants: ReadonlyArray<Tenant>): InputProblem[] {
    const byPort = new Map<number, Tenant>();
    const problems: InputProblem[] = [];
    for (const tenant of tenants.filter(receivesWebhooks)) {
        const port = webhookHostPort(tenant);
        const clash = byPort.get(port);
        if (clash === undefined) {
            byPort.set(port, tenant);
            continue;
        }
        problems.push({
            where: tenant.file,
            path: "uid",
            message:
                `its webhook port ${port} (derived from uid ${tenant.uid}) is also that of tenant "${clash.name}" ` +
                `(${clash.file}); set a distinct "uid:" in one of the two files (one not deployed yet, ideally: ` +
                "a deployed tenant's files are handed to its new uid at its next start)",
        });
    }
    return problems;
}

/**
 * On a Hetzner host, Meta reaches a tenant's listener only through the proxy at webhookDomain; a
 * local stack (dev, tests) publishes the listener on loopback and routes nothing.
 */
export function webhookDomainProblems(
    tenants: ReadonlyArray<Tenant>,
    hostKind: "local" | "hetzner",
    domain: string | undefined,
    domainKey: string,
): InputProblem[] {
    if (hostKind === "local" || domain !== undefined) {
        return [];
    }
    return tenants.filter(receivesWebhooks).map((tenant) => ({
        where: tenant.file,
        path: "zeptoclaw.channels.whatsapp_cloud",
        message:
            `needs inbound webhooks, which this stack does not serve: set ${domainKey} to the host's DNS name ` +
            "(see the README's webhooks runbook), or disable the channel",
    }));
}

/** The URL Meta's app dashboard is given as the tenant's callback URL. */
export function webhookCallbackUrl(domain: string, tenantName: string): string {
    return `https://${domain}/${tenantName}${webhookListener.path}`;
}

/** The stack's webhook domain; only a Hetzner host serves webhooks. */
export function webhookDomainOf(settings: StackConfig): string | undefined {
    return settings.hostKind === "hetzner" ? settings.webhookDomain : undefined;
}

/** Tenant name → callback URL, for the tenants that receive webhooks at `domain`. */
export function webhookCallbackUrls(
    tenants: ReadonlyArray<Tenant>,
    domain: string | undefined,
): Record<string, string> {
    if (domain === undefined) {
        return {};
    }
    return Object.fromEntries(
        tenants.filter(receivesWebhooks).map((t) => [t.name, webhookCallbackUrl(domain, t.name)]),
    );
}
