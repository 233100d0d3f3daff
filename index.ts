import * as pulumi from "@pulumi/pulumi";
import { TenantConfigFiles } from "./components/config/tenantConfigFiles";
import { fleetOutputs } from "./components/fleetOutputs";
import { createHost } from "./components/host/createHost";
import { hostSize } from "./components/host/hostSize";
import { ZeptoClawImage } from "./components/image/zeptoclawImage";
import { TenantNetwork } from "./components/network/tenantNetwork";
import { ZeptoClawTenant } from "./components/tenant/zeptoclawTenant";
import { capacityProblems, subnetProblems } from "./lib/capacity/capacity";
import { DiskCapacity, diskCapacity } from "./lib/capacity/diskCapacity";
import { probeLoadProblems } from "./lib/capacity/probeLoad";
import { ImagePlan } from "./lib/config/imagePlan";
import { distinctImages } from "./lib/config/imageRings";
import { FleetConfig, loadFleetConfig } from "./lib/config/loadFleetConfig";
import { configLocation } from "./lib/config/stackConfig";
import { engineApiProblems } from "./lib/docker/engineApiVersion";
import { healthcheckIntervalSeconds } from "./lib/docker/tenantContainers";
import { tenantHostRuntime } from "./lib/docker/tenantHostRuntime";
import {
    webhookCallbackUrls,
    webhookDomainOf,
    webhookDomainProblems,
    webhookPortProblems,
} from "./lib/docker/webhookListener";
import { failOnProblems } from "./lib/errors";
import { runTenantQuotas } from "./lib/host/tenantQuota";
import { webhookProxyFor } from "./lib/host/webhookProxy";
import { declareInWindow, tenantsAtOnce } from "./lib/runtime/registrationWindow";
import { withoutStackTraces } from "./lib/runtime/withoutStackTraces";
import { unreachable } from "./lib/unreachable";
import { tenantConfigOutput } from "./lib/zeptoclaw/tenantConfigOutput";

export = async () => {
    // Config: stack settings, tenant files and tenant secrets, validated before anything is declared.
    const config = loadFleetConfig();
    const { settings } = config;

    // Host: sized first, so a fleet that does not fit is refused at preview.
    const size = await hostSize(settings, config.stack);
    const disk = dataVolumeCapacity(config);
    if (disk.overcommitWarning !== undefined) {
        void pulumi.log.warn(disk.overcommitWarning);
    }
    failOnProblems([
        ...capacityProblems({
            tenants: config.tenants,
            hostMemoryMb: size.memoryMb,
            reservedMb: settings.hostReservedMemoryMb,
            sizeKey: size.sizeKey,
            hostLabel: size.label,
            serverTypes: size.serverTypes,
            current: size.current,
            location: size.location,
        }),
        ...probeLoadProblems({
            tenantCount: config.tenants.length,
            intervalSeconds: healthcheckIntervalSeconds,
            ...size,
        }),
        ...disk.problems,
        ...subnetProblems(
            settings.tenantSubnet,
            config.tenants.length,
            configLocation(config.stack, "tenantSubnet"),
        ),
        ...webhookPortProblems(config.tenants),
        ...webhookDomainProblems(
            config.tenants,
            settings.hostKind,
            webhookDomainOf(settings),
            configLocation(config.stack, "webhookDomain"),
        ),
        ...(await engineApiProblems(settings, config.stack)),
    ]);
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
    const onHost = { parent: host, providers: [host.dockerProvider] };

    // Images: built on, or pulled to, the host's engine; the stack's, and one per other version
    // an upgrade ring runs.
    const images = new Map(
        distinctImages(config.image, config.rings).map((plan) => [
            plan.version,
            new ZeptoClawImage(
                ringImageName(host.hostName, config.image, plan),
                { plan, projectDir: config.projectDir },
                onHost,
            ),
        ]),
    );
    const image = images.get(config.image.version)!;
    const ringImage = new Map(config.rings.map((ring) => [ring.name, ring.image]));
    const network = new TenantNetwork(
        `${host.hostName}/tenants`,
        { hostName: host.hostName, subnet: settings.tenantSubnet },
        onHost,
    );

    // Tenants: their config files, then one component each, named after the tenant, never after
    // its place in the list; a preview registers a few at a time.
    const runtime = tenantHostRuntime(settings);
    const tenants = await withoutStackTraces(() => {
        const configs = config.tenants.map((tenant) => ({
            tenant,
            ...tenantConfigOutput(tenant, config.secrets[tenant.name], config.policy),
        }));
        const configFiles = new TenantConfigFiles(
            `${host.hostName}/configs`,
            {
                configs: configs.map((c) => ({
                    tenant: c.tenant.name,
                    uid: c.tenant.uid,
                    configJson: c.json,
                    sha256: c.sha256,
                })),
                image: image.id,
                configRoot: settings.configRoot,
                hostName: host.hostName,
            },
            onHost,
        );
        return declareInWindow(
            configs,
            tenantsAtOnce(pulumi.runtime.isDryRun(), configs.length),
            ({ tenant, sha256 }) => {
                const plan = ringImage.get(tenant.ring)!;
                return new ZeptoClawTenant(
                    tenant.name,
                    {
                        tenant,
                        configSha256: sha256,
                        configFiles: configFiles.writer,
                        image: images.get(plan.version)!.id,
                        version: plan.version,
                        environment: config.environment,
                        hostName: host.hostName,
                        network: network.networkName,
                        configRoot: settings.configRoot,
                        runtime,
                    },
                    onHost,
                );
            },
            (declared) => declared.registeredUrns,
        );
    });

    // Outputs
    return fleetOutputs(host, image, tenants, webhookCallbackUrls(config.tenants, webhookDomainOf(settings)));
};

/**
 * The stack's image keeps the name it always had; another version's image is named after it,
 * so that moving a ring adds or removes that image alone.
 */
function ringImageName(hostName: string, stackImage: ImagePlan, plan: ImagePlan): string {
    return plan === stackImage ? `${hostName}/zeptoclaw` : `${hostName}/zeptoclaw@${plan.version}`;
}

/** Tenants' disk limits against the data Volume, which only a Hetzner server has. */
function dataVolumeCapacity(config: FleetConfig): DiskCapacity {
    const { settings } = config;
    switch (settings.hostKind) {
        case "local":
            return { problems: [] };
        case "hetzner":
            return diskCapacity(
                config.tenants,
                settings.dataVolumeGb,
                configLocation(config.stack, "dataVolumeGb"),
            );
        default:
            return unreachable(settings);
    }
}
