import { StackConfig } from "../config/stackConfig";
import { unreachable } from "../unreachable";
import { CgroupDriver } from "./tenantSlice";

/** What a host offers the tenants' containers beyond what every engine has. */
export interface TenantHostRuntime {
    /**
     * The engine's cgroup driver, where the host keeps each tenant's slice and its process
     * limit; undefined: the host has none, and `ulimit nproc` alone bounds processes.
     */
    cgroupDriver?: CgroupDriver;
    /** Whether the host's kernel runs AppArmor, so Docker can confine a container with a profile. */
    appArmor: boolean;
}

/**
 * What the stack's host offers. A Hetzner host runs Debian 12 as its image (serverImage), whose
 * kernel enables AppArmor and whose systemd runs cgroup v2, where Docker 20.10 takes the systemd
 * driver; its configure step writes the tenants' slices. A local engine is the operator's: it
 * has the slices only when the stack says which driver to place them for (cgroupDriver), and is
 * not assumed to run AppArmor.
 */
export function tenantHostRuntime(settings: StackConfig): TenantHostRuntime {
    switch (settings.hostKind) {
        case "hetzner":
            return { cgroupDriver: "systemd", appArmor: true };
        case "local":
            return { cgroupDriver: settings.cgroupDriver, appArmor: false };
        default:
            return unreachable(settings);
    }
}
