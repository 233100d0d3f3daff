import { labelKeys } from "../docker/labels";
import { configPathInContainer } from "../docker/containerPaths";

/** What a policy sees of a resource: its type, its inputs and the options the engine reports. */
export interface ResourceUnderPolicy {
    type: string;
    props: Record<string, unknown>;
}

/** The container inputs the guardrails read, as the provider's schema types them. */
interface ContainerProps {
    labels?: { label: string; value: string }[];
    user?: string;
    capabilities?: { adds?: string[] };
    memory?: number;
    cpus?: string;
    ulimits?: { name: string; hard: number }[];
    mounts?: { target: string; source?: string; readOnly?: boolean }[];
    volumes?: { hostPath?: string }[];
    logDriver?: string;
    logOpts?: Record<string, string>;
    restart?: string;
    privileged?: boolean;
    ports?: { ip?: string }[];
}

export const containerType = "docker:index/container:Container";
export const serverType = "hcloud:index/server:Server";

function labelsOf(props: ContainerProps): Record<string, string> {
    return Object.fromEntries((props.labels ?? []).map((l) => [l.label, l.value]));
}

/** A tenant's gateway: the containers that run ZeptoClaw for a tenant. */
export function isTenantContainer(r: ResourceUnderPolicy): boolean {
    return r.type === containerType && labelsOf(r.props)[labelKeys.role] === "gateway";
}

/** The container starts as a uid other than root's (numeric or not, with or without a group). */
function startsAsRoot(props: ContainerProps): boolean {
    const user = String(props.user ?? "").split(":")[0];
    return user === "" || user === "root" || Number(user) === 0;
}

/**
 * Limits, read-only config, non-root with no added capability, log rotation, a restart policy
 * and loopback-only published ports on every tenant container.
 */
export function tenantContainerViolations(r: ResourceUnderPolicy): string[] {
    if (!isTenantContainer(r)) {
        return [];
    }
    const p = r.props as ContainerProps;
    const v: string[] = [];
    if (!((p.memory ?? 0) > 0)) v.push("has no memory limit");
    if (!(Number(p.cpus) > 0)) v.push("has no CPU limit");
    if (
        !((p.ulimits ?? []) as { name: string; hard: number }[]).some((u) => u.name === "nproc" && u.hard > 0)
    ) {
        v.push("has no process limit (ulimit nproc)");
    }
    const config = ((p.mounts ?? []) as { target: string; readOnly?: boolean }[]).find(
        (m) => m.target === configPathInContainer,
    );
    if (config?.readOnly !== true) v.push(`does not mount its config read-only at ${configPathInContainer}`);
    if (startsAsRoot(p)) v.push("runs as root (set user to the tenant's uid)");
    if ((p.capabilities?.adds ?? []).length > 0) {
        v.push(`adds capabilities (${p.capabilities?.adds?.join(", ")}): a tenant holds none`);
    }
    const logOpts = p.logOpts ?? {};
    if (
        p.logDriver !== "json-file" ||
        logOpts["max-size"] === undefined ||
        logOpts["max-file"] === undefined
    ) {
        v.push("has no log rotation (json-file with max-size and max-file)");
    }
    if (p.restart === undefined || p.restart === "no") v.push("has no restart policy");
    // Only the host's proxy may reach a tenant's listener (lib/host/webhookProxy.ts); the
    // provider's default address is 0.0.0.0 (resource_docker_container.go "ports").
    if ((p.ports ?? []).some((port) => port.ip !== "127.0.0.1")) {
        v.push("publishes a port beyond the host's loopback (127.0.0.1)");
    }
    return v;
}

/** No container, tenant or not, is privileged or reaches the Docker socket. */
export function anyContainerViolations(r: ResourceUnderPolicy): string[] {
    if (r.type !== containerType) {
        return [];
    }
    const p = r.props as ContainerProps;
    const v: string[] = [];
    if (p.privileged === true) v.push("is privileged");
    const sources = [
        ...(p.mounts ?? []).map((m) => m.source ?? ""),
        ...(p.volumes ?? []).map((m) => m.hostPath ?? ""),
    ];
    if (sources.some((s) => s.includes("docker.sock"))) v.push("mounts the Docker socket");
    return v;
}

/** Hetzner objects holding tenant data or its backups, or the address every tenant is reached at. */
export const dataHoldingTypes = [
    "hcloud:index/volume:Volume",
    "hcloud:index/primaryIp:PrimaryIp",
    "hcloud:index/storageBox:StorageBox",
] as const;

/**
 * The data Volume, the IPv4 and the Storage Box of any fleet stack cannot be deleted by accident;
 * a prod server can be neither deleted nor rebuilt by accident.
 */
export function statefulResourceViolations(r: ResourceUnderPolicy): string[] {
    const labels = (r.props.labels ?? {}) as Record<string, string>;
    if ((dataHoldingTypes as readonly string[]).includes(r.type) && labels["zeptoclaw-fleet"] === "true") {
        return r.props.deleteProtection === true ? [] : ["holds tenant data and has no delete protection"];
    }
    if (r.type !== serverType || labels["zeptoclaw-env"] !== "prod") {
        return [];
    }
    const v: string[] = [];
    if (r.props.deleteProtection !== true) v.push("is a prod server without delete protection");
    if (r.props.rebuildProtection !== true) v.push("is a prod server without rebuild protection");
    return v;
}

export const guardrails = [
    {
        name: "tenant-container-guardrails",
        description:
            "Tenant containers have limits, a read-only config, a non-root user without added capabilities, log rotation and a restart policy.",
        check: tenantContainerViolations,
    },
    {
        name: "no-privileged-containers",
        description: "No container is privileged or gets the Docker socket.",
        check: anyContainerViolations,
    },
    {
        name: "protected-stateful-resources",
        description: "Stateful resources are protected in prod.",
        check: statefulResourceViolations,
    },
] as const;
