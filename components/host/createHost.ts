import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../../lib/config/stackConfig";
import { FleetHost } from "./fleetHost";
import { HetznerHost } from "./hetznerHost";
import { LocalHost } from "./localHost";

/** Declares the stack's host: a local engine or a Hetzner server, behind one interface. */
export function createHost(
    settings: StackConfig,
    environment: string,
    opts?: pulumi.ComponentResourceOptions,
): FleetHost {
    if (settings.hostKind === "local") {
        return new LocalHost(
            settings.hostName,
            { hostName: settings.hostName, dockerHost: settings.dockerHost },
            opts,
        );
    }
    return new HetznerHost(
        settings.hostName,
        {
            hostName: settings.hostName,
            serverType: settings.serverType,
            location: settings.serverLocation,
            image: settings.serverImage,
            sshAllowedCidrs: settings.sshAllowedCidrs,
            sshPublicKeys: settings.sshPublicKeys,
            protect: settings.protectHost,
            labels: { "zeptoclaw-fleet": "true", "zeptoclaw-env": environment },
        },
        opts,
    );
}
