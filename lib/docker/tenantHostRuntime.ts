import { StackConfig } from "../config/stackConfig";
import { hostImages } from "../config/hostImages";
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
    /** How Docker probes a starting tenant: see {@link HealthStart}. */
    healthStart: HealthStart;
}

/**
 * `start-interval`: the engine speaks API 1.44 or newer, where the healthcheck's start_interval
 * is the probe rate during the start period (moby v26.1.5 daemon/health.go, `probeInterval`), so
 * a restarted tenant is healthy within half a second of being ready. `steady-interval`: an older engine
 * (Docker 20.10), where the first probe comes one full interval after the start; the provider's
 * Docker client refuses a start interval there ("specify health-check start interval").
 */
export type HealthStart = "start-interval" | "steady-interval";

/** The first Docker API version with the healthcheck's start_interval. */
export const startIntervalApiVersion = "1.44";

export function healthStartFor(dockerApiVersion: string): HealthStart {
    const minor = (version: string) => Number(version.split(".")[1]);
    return minor(dockerApiVersion) >= minor(startIntervalApiVersion) ? "start-interval" : "steady-interval";
}

/**
 * What the stack's host offers. A Hetzner host runs Debian 13 or 12 (serverImage), whose kernel
 * enables AppArmor and whose systemd runs cgroup v2, where Docker (26.1 or 20.10) takes the
 * systemd driver; its configure step writes the tenants' slices; its Docker API is its image's. A
 * local engine is the operator's: it has the slices only when the stack says which driver to
 * place them for (cgroupDriver), speaks the API the stack says (dockerApiVersion), and is not
 * assumed to run AppArmor.
 */
export function tenantHostRuntime(settings: StackConfig): TenantHostRuntime {
    switch (settings.hostKind) {
        case "hetzner":
            return {
                cgroupDriver: "systemd",
                appArmor: true,
                healthStart: healthStartFor(hostImages[settings.serverImage].dockerApi),
            };
        case "local":
            return {
                cgroupDriver: settings.cgroupDriver,
                appArmor: false,
                healthStart: healthStartFor(settings.dockerApiVersion),
            };
        default:
            return unreachable(settings);
    }
}
