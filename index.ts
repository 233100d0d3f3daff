import * as pulumi from "@pulumi/pulumi";
import { fleetOutputs } from "./components/fleetOutputs";
import { createHost } from "./components/host/createHost";
import { declareHostTenants } from "./components/host/hostTenants";
import { hostSize } from "./components/host/hostSize";
import { loadFleetConfig } from "./lib/config/loadFleetConfig";
import { stackProblems } from "./lib/config/stackProblems";
import { engineApiProblems } from "./lib/docker/engineApiVersion";
import { webhookCallbackUrls, webhookDomainOf } from "./lib/docker/webhookListener";
import { failOnProblems } from "./lib/errors";
import { runTenantQuotas } from "./lib/host/tenantQuota";
import { webhookProxyFor } from "./lib/host/webhookProxy";

export = async () => {
    // Config: stack settings, tenant files and tenant secrets, validated before anything is declared.
    const config = loadFleetConfig();
    const { settings } = config;

    // Host: sized first, so a fleet that does not fit (or an engine that cannot run it) is
    // refused at preview.
    const checks = stackProblems(config, await hostSize(settings, config.stack));
    if (checks.warning !== undefined) {
        void pulumi.log.warn(checks.warning);
    }
    failOnProblems([...checks.problems, ...(await engineApiProblems(settings, config.stack))]);
    const host = createHost({
        settings,
        environment: config.environment,
        backup: config.backup,
        alerts: config.alerts,
        tenants: config.tenants,
        // Each tenant's uid held to its disk limit on the data Volume, at every configure step.
        // Then the webhook proxy, routing each WhatsApp tenant's callback path to it alone.
        configureFinally:
            runTenantQuotas(config.tenants) +
            webhookProxyFor(
                config.tenants,
                webhookDomainOf(settings),
                settings.hostKind === "hetzner" ? settings.webhookAcmeEmail : undefined,
            ),
    });

    // Images and tenants, on the host's engine.
    const { image, tenants } = await declareHostTenants(host, config);

    // Outputs
    return fleetOutputs(host, image, tenants, webhookCallbackUrls(config.tenants, webhookDomainOf(settings)));
};
