import * as pulumi from "@pulumi/pulumi";
import { FleetHost } from "./host/fleetHost";
import { ZeptoClawImage } from "./image/zeptoclawImage";
import { ZeptoClawTenant } from "./tenant/zeptoclawTenant";

/** The stack outputs: how to reach the host, what runs there, and which image. */
export function fleetOutputs(
    host: FleetHost,
    image: ZeptoClawImage,
    tenants: ReadonlyArray<ZeptoClawTenant>,
    /** Tenant name → the callback URL to enter in Meta's app dashboard (whatsapp_cloud tenants). */
    callbackUrls: Readonly<Record<string, string>> = {},
) {
    return {
        hostName: host.hostName,
        hostAddress: host.address,
        sshCommand: host.sshCommand,
        knownHostsLine: host.knownHostsLine,
        // Plain, for tools (npm run status); with knownHostsLine for an ssh:// host.
        dockerHost: host.dockerHost,
        dockerHostCommand: pulumi.interpolate`export DOCKER_HOST=${host.dockerHost}`,
        image: { reference: image.reference, id: image.id },
        tenants: Object.fromEntries(
            tenants.map((t) => [
                t.tenantName,
                {
                    container: t.containerName,
                    volume: t.volumeName,
                    ...(callbackUrls[t.tenantName] === undefined
                        ? {}
                        : { whatsappCallbackUrl: callbackUrls[t.tenantName] }),
                },
            ]),
        ),
    };
}
