import * as pulumi from "@pulumi/pulumi";
import { FleetConfig } from "../../lib/program/loadFleetConfig";
import { ImagePlan } from "../../lib/config/imagePlan";
import { tenantHostRuntime } from "../../lib/docker/tenantHostRuntime";
import { declareInWindow, tenantsAtOnce } from "../../lib/runtime/registrationWindow";
import { withoutStackTraces } from "../../lib/runtime/withoutStackTraces";
import { tenantConfigOutput } from "../../lib/zeptoclaw/tenantConfigOutput";
import { TenantConfigFiles } from "../config/tenantConfigFiles";
import { ZeptoClawImage } from "../image/zeptoclawImage";
import { TenantNetwork } from "../network/tenantNetwork";
import { ZeptoClawTenant } from "../tenant/zeptoclawTenant";
import { FleetHost } from "./fleetHost";

/** What a host runs: its images, its tenant network, its tenants' config files and its tenants. */
export interface HostTenants {
    /** The stack's image (imageVersion): the stack outputs name it. */
    image: ZeptoClawImage;
    tenants: ZeptoClawTenant[];
}

/**
 * Declares what runs on the host, as the host's children on its engine: one image per version a
 * ring runs, the tenant network, the tenants' config files, then one component per tenant,
 * named after the tenant, never after its place in the list; a preview registers a few at a time
 * (lib/runtime/registrationWindow.ts).
 */
export async function declareHostTenants(host: FleetHost, config: FleetConfig): Promise<HostTenants> {
    const { settings } = config;
    const onHost = { parent: host, providers: [host.dockerProvider] };
    // Built on, or pulled to, the host's engine: the stack's, and one per other version an upgrade
    // ring runs, declared once per version, the stack's first.
    const images = new Map<string, ZeptoClawImage>();
    const imageOf = (plan: ImagePlan): ZeptoClawImage => {
        const declared =
            images.get(plan.version) ??
            new ZeptoClawImage(
                ringImageName(host.hostName, config.image, plan),
                { plan, projectDir: config.projectDir },
                onHost,
            );
        images.set(plan.version, declared);
        return declared;
    };
    const image = imageOf(config.image);
    config.rings.forEach((ring) => imageOf(ring.image));
    const network = new TenantNetwork(
        `${host.hostName}/tenants`,
        { hostName: host.hostName, subnet: settings.tenantSubnet },
        onHost,
    );
    const runtime = tenantHostRuntime(settings);
    const tenants = await withoutStackTraces(() => {
        const configs = config.tenantImages.map(({ tenant, image: plan }) => ({
            tenant,
            plan,
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
            ({ tenant, plan, sha256 }) =>
                new ZeptoClawTenant(
                    tenant.name,
                    {
                        tenant,
                        configSha256: sha256,
                        configFiles: configFiles.writer,
                        image: imageOf(plan).id,
                        version: plan.version,
                        environment: config.environment,
                        hostName: host.hostName,
                        network: network.networkName,
                        configRoot: settings.configRoot,
                        runtime,
                    },
                    onHost,
                ),
            (declared) => declared.registeredUrns,
        );
    });
    return { image, tenants };
}

/**
 * The stack's image keeps the name it always had; another version's image is named after it,
 * so that moving a ring adds or removes that image alone.
 */
function ringImageName(hostName: string, stackImage: ImagePlan, plan: ImagePlan): string {
    return plan === stackImage ? `${hostName}/zeptoclaw` : `${hostName}/zeptoclaw@${plan.version}`;
}
