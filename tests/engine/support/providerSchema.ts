/**
 * What the Docker provider does with each input of the resources the program declares, as
 * terraform-provider-docker v4.5.0 defines it (bridged by @pulumi/docker 5.2.0). Keys are the
 * Pulumi names; a key missing from a table is an input the engine adapter cannot apply.
 */

/**
 * - replace: ForceNew in the schema; a change replaces the resource.
 * - engine: not ForceNew and sent to the engine's update call by the provider's Update.
 * - state: not ForceNew and ignored by the provider's Update: a change is an update that only
 *   rewrites the state (the running container keeps the old value).
 */
export type UpdateKind = "replace" | "engine" | "state";

export interface FieldRule {
    update: UpdateKind;
    /** Optional+Computed: left out, it keeps whatever the state holds. */
    computed?: boolean;
    /** The schema's Default, or the zero value the SDK reads for an unset scalar. */
    default?: unknown;
    /** Compared as a set (schema.TypeSet): order does not matter. */
    set?: boolean;
}

/**
 * docker_container: internal/provider/resource_docker_container.go (ForceNew, Default, Computed)
 * and resourceDockerContainerUpdate in resource_docker_container_funcs.go, whose `attrs` list
 * (restart, max_retry_count, cpu_shares, memory, memory_reservation, cpu_set, memory_swap,
 * device_*) is all it sends to ContainerUpdate; every other non-ForceNew field only changes state.
 */
export const containerRules: Readonly<Record<string, FieldRule>> = {
    name: { update: "replace" },
    image: { update: "replace" },
    entrypoints: { update: "replace", computed: true },
    command: { update: "replace", computed: true },
    user: { update: "replace", default: "" },
    envs: { update: "replace", computed: true, set: true },
    labels: { update: "replace", computed: true, set: true },
    mounts: { update: "replace", set: true },
    volumes: { update: "replace", set: true },
    readOnly: { update: "replace", default: false },
    tmpfs: { update: "state" },
    healthcheck: { update: "state", computed: true },
    logDriver: { update: "replace", computed: true },
    logOpts: { update: "replace" },
    memory: { update: "engine", default: 0 },
    memoryReservation: { update: "engine", default: 0 },
    memorySwap: { update: "engine", default: 0 },
    cpus: { update: "replace" },
    cpuShares: { update: "engine", default: 0 },
    ulimits: { update: "replace", set: true },
    capabilities: { update: "replace" },
    securityOpts: { update: "replace", computed: true, set: true },
    networkMode: { update: "replace", default: "bridge" },
    networksAdvanced: { update: "replace", set: true },
    restart: { update: "engine", default: "no" },
    wait: { update: "state", default: false },
    waitTimeout: { update: "state", default: 60 },
    attach: { update: "state", default: false },
    mustRun: { update: "state", default: true },
    uploads: { update: "replace", set: true },
    destroyGraceSeconds: { update: "state", default: 0 },
    stopTimeout: { update: "replace", computed: true },
    stopSignal: { update: "replace", computed: true },
    init: { update: "state", computed: true },
    // ForceNew; set on create only and never read back (resourceDockerContainerCreate).
    cgroupParent: { update: "replace" },
    // ForceNew with every nested field (resource_docker_container.go "ports").
    ports: { update: "replace" },
};

/** docker_volume: internal/provider/resource_docker_volume.go (every argument is ForceNew). */
export const volumeRules: Readonly<Record<string, FieldRule>> = {
    name: { update: "replace", computed: true },
    labels: { update: "replace", set: true },
    driver: { update: "replace", computed: true },
    driverOpts: { update: "replace" },
};

/** docker_network: internal/provider/resource_docker_network.go (every argument is ForceNew). */
export const networkRules: Readonly<Record<string, FieldRule>> = {
    name: { update: "replace" },
    driver: { update: "replace", computed: true },
    options: { update: "replace", computed: true },
    ipamConfigs: { update: "replace", computed: true, set: true },
    labels: { update: "replace", set: true },
};

/**
 * docker_image, Pulumi's RemoteImage: internal/provider/resource_docker_image.go. `name` is
 * ForceNew; keep_locally only decides what Delete does (removeImage in
 * resource_docker_image_funcs.go), so changing it only changes state.
 */
export const remoteImageRules: Readonly<Record<string, FieldRule>> = {
    name: { update: "replace" },
    keepLocally: { update: "state", default: false },
};

/**
 * Pulumi's own Image resource (pulumi-docker's native provider, not the bridge): a change to
 * what is built builds again; buildOnPreview only decides whether a preview builds.
 */
export const imageRules: Readonly<Record<string, FieldRule>> = {
    imageName: { update: "replace" },
    build: { update: "replace" },
    skipPush: { update: "replace" },
    buildOnPreview: { update: "state" },
};

/**
 * Nested blocks: the keys the adapter applies, by the input's Pulumi path (elements of a list
 * share their list's path). A nested key not listed fails the deployment.
 */
export const nestedKeys: Readonly<Record<string, ReadonlyArray<string>>> = {
    "container.healthcheck": ["tests", "interval", "timeout", "startPeriod", "startInterval", "retries"],
    "container.mounts": ["type", "source", "target", "readOnly", "bindOptions", "tmpfsOptions"],
    "container.mounts.bindOptions": ["propagation"],
    "container.mounts.tmpfsOptions": ["sizeBytes", "mode"],
    "container.volumes": ["hostPath", "containerPath", "readOnly"],
    "container.networksAdvanced": ["name", "aliases", "ipv4Address", "ipv6Address"],
    "container.capabilities": ["adds", "drops"],
    "container.ulimits": ["name", "soft", "hard"],
    "container.ports": ["internal", "external", "ip", "protocol"],
    "container.labels": ["label", "value"],
    "container.uploads": ["file", "content", "owner", "group", "permissions"],
    "network.ipamConfigs": ["subnet", "gateway", "ipRange", "auxAddress"],
    "network.labels": ["label", "value"],
    "volume.labels": ["label", "value"],
    "image.build": ["context", "dockerfile"],
};
