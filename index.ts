import * as pulumi from "@pulumi/pulumi";
import { fleetOutputs } from "./components/fleetOutputs";
import { createHost } from "./components/host/createHost";
import { declareHostTenants } from "./components/host/hostTenants";
import { hostSize } from "./components/host/hostSize";
import { loadFleetConfig } from "./lib/program/loadFleetConfig";
import { stackProblems } from "./lib/program/stackProblems";
import { engineApiProblems } from "./lib/docker/engineApiVersion";
import { webhookCallbackUrls, webhookDomainOf } from "./lib/docker/webhookListener";
import { failOnProblems } from "./lib/errors";

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
    const host = createHost(config);

    // Images and tenants, on the host's engine.
    const { image, tenants } = await declareHostTenants(host, config);

    // Outputs
    return fleetOutputs(host, image, tenants, webhookCallbackUrls(config.tenants, webhookDomainOf(settings)));
};
