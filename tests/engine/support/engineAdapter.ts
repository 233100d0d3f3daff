import * as path from "node:path";
import Docker from "dockerode";
import * as tarFs from "tar-fs";
import * as tarStream from "tar-stream";
import { nanoCpus } from "../../../lib/tenants/providerCpus";
import { DeclaredResource, ProgramRun } from "../../support/runProgram";
import {
    InspectedContainer,
    ResourcePlan,
    checkNested,
    containerDeclared,
    containerReadBack,
    planResource,
    volumeReadBack,
} from "./providerPlan";
import {
    FieldRule,
    containerRules,
    imageRules,
    networkRules,
    remoteImageRules,
    volumeRules,
} from "./providerSchema";

/** Every object the suite creates carries this label, with the suite's run id. */
export const testLabel = "org.zeptoclaw-fleet.test";

interface Deployed {
    resource: DeclaredResource;
    /** Docker's id (container, network, image) or name (volume). */
    dockerId: string;
    /** What the provider stored: the inputs as it read them back. */
    state: Record<string, unknown>;
    /** Its create failed after the engine made it (a failed wait): Pulumi keeps it, with an init error. */
    initFailed: boolean;
}

/** A Docker duration such as "30s", "5s", "500ms" or "1m" in nanoseconds, as the API wants. */
export function durationNs(text: string): number {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
    if (match === null) {
        throw new Error(`cannot read the duration "${text}"`);
    }
    const unit = { ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }[match[2] as "ms" | "s" | "m" | "h"];
    return Math.round(Number(match[1]) * unit);
}

const rulesByType: Readonly<Record<string, Readonly<Record<string, FieldRule>>>> = {
    "docker:index/container:Container": containerRules,
    "docker:index/volume:Volume": volumeRules,
    "docker:index/network:Network": networkRules,
    "docker:index/remoteImage:RemoteImage": remoteImageRules,
    "docker:index/image:Image": imageRules,
};

const nestedKind: Readonly<Record<string, string>> = {
    "docker:index/container:Container": "container",
    "docker:index/volume:Volume": "volume",
    "docker:index/network:Network": "network",
    "docker:index/image:Image": "image",
};

/** Runs each task on one of `count` workers, in the order they ask; any number at once without a count. */
function workerSlots(count: number | undefined): (task: () => Promise<void>) => Promise<void> {
    if (count === undefined) {
        return (task) => task();
    }
    let free = count;
    const waiting: (() => void)[] = [];
    return async (task) => {
        if (free === 0) {
            await new Promise<void>((resolve) => waiting.push(resolve));
        } else {
            free--;
        }
        try {
            await task();
        } finally {
            const next = waiting.shift();
            if (next === undefined) {
                free++;
            } else {
                next();
            }
        }
    };
}

/** A named plan, as `pulumi preview` would list it. */
export interface NamedPlan extends ResourcePlan {
    name: string;
}

/**
 * Applies what the program declared (under Pulumi's mocks) to a real Docker engine, the way the
 * Docker provider would: it keeps the state the provider would store (inputs as read back from
 * the engine), plans each resource against it (create, update in place, replace, nothing:
 * providerPlan.ts, from the schema in providerSchema.ts), and applies the plan as the provider
 * does. Resources go in registration order (a valid dependency order) and leave the engine
 * when they leave the program, unless retained. An input the adapter does not map, at any
 * depth, fails the deployment.
 */
export class EngineAdapter {
    private readonly state = new Map<string, Deployed>();
    /** Mock image ids (what the program saw) to the real ids the engine has. */
    private readonly imageIds = new Map<string, string>();
    private apiVersion: string | undefined;

    constructor(
        readonly docker: Docker,
        readonly runId: string,
    ) {}

    /**
     * What `pulumi up` would do to each declared resource, without doing it. With `refresh`,
     * the state is first read again from the engine, as `pulumi preview --refresh` does.
     */
    async plan(run: ProgramRun, options: { refresh?: boolean } = {}): Promise<NamedPlan[]> {
        const plans: NamedPlan[] = [];
        for (const resource of run.resources) {
            let previous = this.state.get(resource.urn);
            if (options.refresh && previous !== undefined) {
                previous = {
                    ...previous,
                    state: await this.readBack(previous.resource, previous.dockerId, previous.state),
                };
            }
            plans.push({ name: resource.name, ...this.planOne(resource, previous) });
        }
        return plans;
    }

    /**
     * Deploys a program run; returns the names of the resources created, replaced or updated.
     * Like the Pulumi engine, a resource starts as soon as the resources it depends on are done,
     * so independent tenants deploy (and wait for health) in parallel. `parallel` is `pulumi up
     * --parallel`: that many workers, each carrying one resource's steps (a replacement's delete
     * and create) to their end before it takes the next resource (pulumi/pulumi v3.259.0
     * pkg/resource/deploy/step_executor.go, `executeChain`; a delete-before-replace's delete is in
     * the same chain as its create, step_generator.go); without it, no bound.
     */
    async apply(run: ProgramRun, options: { parallel?: number } = {}): Promise<string[]> {
        const changed: string[] = [];
        const done = new Map<string, Promise<void>>();
        const worker = workerSlots(options.parallel);
        for (const resource of run.resources) {
            const dependencies = resource.options.dependencies.map(
                (urn) => done.get(urn) ?? Promise.resolve(),
            );
            done.set(
                resource.urn,
                Promise.all(dependencies).then(() =>
                    worker(async () => {
                        const previous = this.state.get(resource.urn);
                        const plan = this.planOne(resource, previous);
                        if (plan.action !== "same") {
                            changed.push(resource.name);
                        }
                        await this.applyOne(resource, previous, plan);
                    }),
                ),
            );
        }
        const results = await Promise.allSettled(done.values());
        const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failure !== undefined) {
            throw failure.reason;
        }
        const declared = new Set(run.resources.map((r) => r.urn));
        for (const [urn, deployed] of [...this.state.entries()].reverse()) {
            if (!declared.has(urn)) {
                if (!deployed.resource.options.retainOnDelete) {
                    await this.delete(deployed);
                }
                this.state.delete(urn);
            }
        }
        return changed.sort();
    }

    /** The Docker id of a deployed resource, by its Pulumi name. */
    idOf(name: string): string {
        const found = [...this.state.values()].find((d) => d.resource.name === name);
        if (found === undefined) {
            throw new Error(`${name} is not deployed`);
        }
        return found.dockerId;
    }

    private planOne(resource: DeclaredResource, previous: Deployed | undefined): ResourcePlan {
        if (resource.type === "pulumi:providers:docker") {
            // A provider resource holds no engine object; its settings are the connection.
            return { action: previous === undefined ? "create" : "same", fields: [], engineUpdate: false };
        }
        const rules = rulesByType[resource.type];
        if (rules === undefined) {
            throw new Error(`the engine adapter cannot apply ${resource.type} (${resource.name})`);
        }
        const kind = nestedKind[resource.type];
        try {
            if (kind !== undefined) {
                checkNested(kind, resource.inputs);
            }
            const plan = planResource(rules, previous?.state, this.declared(resource), resource.options);
            // A resource whose create failed is kept with an init error, and Pulumi updates such a
            // resource on the next run whatever its diff (pulumi/pulumi
            // pkg/resource/deploy/step_generator.go, InitErrors): the provider's Update.
            if (previous?.initFailed && plan.action === "same") {
                return { ...plan, action: "update" };
            }
            return plan;
        } catch (error) {
            throw new Error(`${resource.type} ${resource.name}: ${(error as Error).message}`);
        }
    }

    private declared(resource: DeclaredResource): Record<string, unknown> {
        return resource.type === "docker:index/container:Container"
            ? containerDeclared(resource.inputs)
            : resource.inputs;
    }

    private async applyOne(
        resource: DeclaredResource,
        previous: Deployed | undefined,
        plan: ResourcePlan,
    ): Promise<void> {
        switch (plan.action) {
            case "same":
                this.state.set(resource.urn, { ...previous!, resource });
                return;
            case "update": {
                const declared = this.declared(resource);
                if (plan.engineUpdate) {
                    await this.updateContainer(previous!.dockerId, declared);
                }
                if (
                    plan.fields.includes("mustRun") &&
                    previous!.state.mustRun === false &&
                    declared.mustRun !== false
                ) {
                    await this.docker.getContainer(previous!.dockerId).start();
                }
                // Update returns without reading back: the state is the plan (resourceDockerContainerUpdate).
                const state = { ...previous!.state };
                for (const field of plan.fields) {
                    state[field] = declared[field];
                }
                this.state.set(resource.urn, { ...previous!, resource, state, initFailed: false });
                return;
            }
            case "replace": {
                // The bridge replaces a container delete-first whatever the program asks
                // (pulumi-docker provider/resources.go: docker_container DeleteBeforeReplace).
                const deleteFirst =
                    resource.options.deleteBeforeReplace ||
                    resource.type === "docker:index/container:Container";
                if (deleteFirst) {
                    await this.delete(previous!);
                    this.state.delete(resource.urn);
                }
                await this.createAndRecord(resource);
                if (!deleteFirst) {
                    await this.delete(previous!);
                }
                return;
            }
            case "create":
                await this.createAndRecord(resource);
                return;
        }
    }

    private async createAndRecord(resource: DeclaredResource): Promise<void> {
        const record = async (dockerId: string, initFailed: boolean) => {
            const state = await this.readBack(resource, dockerId, this.declared(resource));
            this.state.set(resource.urn, { resource, dockerId, state, initFailed });
        };
        let created: string | undefined;
        try {
            await this.create(resource, (id) => {
                created = id;
            });
        } catch (error) {
            // The provider set the id before starting the container: a failed start or wait
            // leaves it in the state (resourceDockerContainerCreate, d.SetId before ContainerStart).
            if (created !== undefined) {
                await record(created, true);
            }
            throw error;
        }
        await record(created!, false);
    }

    /** The state the provider's Read stores, from the engine. */
    private async readBack(
        resource: DeclaredResource,
        dockerId: string,
        declared: Record<string, unknown>,
    ): Promise<Record<string, unknown>> {
        switch (resource.type) {
            case "docker:index/container:Container":
                return containerReadBack(
                    declared,
                    (await this.docker.getContainer(dockerId).inspect()) as unknown as InspectedContainer,
                );
            case "docker:index/volume:Volume":
                return volumeReadBack(declared, await this.docker.getVolume(dockerId).inspect(), testLabel);
            default:
                // Networks are read back as declared: every argument forces a new network and the
                // program sets each one the engine reports back unchanged.
                return declared;
        }
    }

    private async create(resource: DeclaredResource, created: (id: string) => void): Promise<void> {
        switch (resource.type) {
            case "pulumi:providers:docker":
                return created("provider");
            case "docker:index/image:Image":
                return created(await this.buildImage(resource));
            case "docker:index/remoteImage:RemoteImage":
                return created(await this.remoteImage(resource));
            case "docker:index/network:Network":
                return created(await this.createNetwork(resource));
            case "docker:index/volume:Volume":
                return created(await this.createVolume(resource));
            case "docker:index/container:Container":
                return this.createContainer(resource, created);
            default:
                throw new Error(`the engine adapter cannot create ${resource.type} (${resource.name})`);
        }
    }

    private async delete(deployed: Deployed): Promise<void> {
        const { resource, dockerId } = deployed;
        switch (resource.type) {
            case "docker:index/container:Container": {
                // resourceDockerContainerDelete: stop with destroy_grace_seconds unless attached,
                // then a forced remove with its volumes.
                const container = this.docker.getContainer(dockerId);
                if (resource.inputs.attach !== true) {
                    await container
                        .stop({ t: resource.inputs.destroyGraceSeconds ?? 0 })
                        .catch(() => undefined);
                }
                await container.remove({ force: true, v: true });
                return;
            }
            case "docker:index/volume:Volume":
                await this.docker.getVolume(dockerId).remove();
                return;
            case "docker:index/network:Network":
                await this.docker.getNetwork(dockerId).remove();
                return;
            case "docker:index/remoteImage:RemoteImage":
                // removeImage (resource_docker_image_funcs.go): kept when keep_locally is set.
                if (resource.inputs.keepLocally !== true) {
                    await this.docker.getImage(resource.inputs.name).remove();
                }
                return;
            default:
                // Local builds are kept, as pulumi-docker does; providers hold nothing.
                return;
        }
    }

    /**
     * resourceDockerContainerUpdate: one ContainerUpdate with the restart policy, cpu shares and
     * memory limits (memory_swap only when set), on the running container.
     */
    private async updateContainer(dockerId: string, declared: Record<string, any>): Promise<void> {
        const mb = (n: number | undefined) => (n ?? 0) * 1024 * 1024;
        const swap = declared.memorySwap as number | undefined;
        await this.docker.getContainer(dockerId).update({
            RestartPolicy: { Name: declared.restart ?? "no" },
            CpuShares: declared.cpuShares ?? 0,
            Memory: mb(declared.memory),
            MemoryReservation: mb(declared.memoryReservation),
            ...(swap === undefined || swap === 0 ? {} : { MemorySwap: swap > 0 ? mb(swap) : swap }),
        });
    }

    private labels(list: { label: string; value: string }[] | undefined): Record<string, string> {
        const labels: Record<string, string> = { [testLabel]: this.runId };
        for (const { label, value } of list ?? []) {
            labels[label] = value;
        }
        return labels;
    }

    private async engineApiVersion(): Promise<string> {
        this.apiVersion ??= (await this.docker.version()).ApiVersion;
        return this.apiVersion;
    }

    private async buildImage(resource: DeclaredResource): Promise<string> {
        const { imageName, build, skipPush } = resource.inputs;
        if (skipPush !== true) {
            throw new Error("the engine suite cannot push images: no registry is reachable");
        }
        const context: string = build.context;
        const stream = await this.docker.buildImage(tarFs.pack(context) as unknown as NodeJS.ReadableStream, {
            t: imageName,
            dockerfile: path.relative(context, build.dockerfile ?? path.join(context, "Dockerfile")),
            labels: { [testLabel]: this.runId },
        });
        await new Promise<void>((resolve, reject) =>
            this.docker.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
                const failed = output?.find((o) => o.error);
                if (err || failed) {
                    reject(err ?? new Error(failed?.error));
                } else {
                    resolve();
                }
            }),
        );
        const realId = (await this.docker.getImage(imageName).inspect()).Id;
        this.imageIds.set(resource.state.repoDigest, realId);
        return realId;
    }

    /**
     * resourceDockerImageCreate (resource_docker_image_funcs.go) uses the image when the engine
     * has it under `name` and pulls it otherwise. No registry is reachable here: the suite loads
     * the image under its published reference first, and an image the engine lacks fails.
     */
    private async remoteImage(resource: DeclaredResource): Promise<string> {
        const name: string = resource.inputs.name;
        const found = await this.docker
            .getImage(name)
            .inspect()
            .catch(() => undefined);
        if (found === undefined) {
            throw new Error(
                `RemoteImage ${resource.name}: the engine has no image ${name} and the engine suite cannot pull; tag the stand-in as ${name} first`,
            );
        }
        this.imageIds.set(resource.state.imageId, found.Id);
        return found.Id;
    }

    private async createNetwork(resource: DeclaredResource): Promise<string> {
        const { name, driver, options, ipamConfigs } = resource.inputs;
        type Ipam = {
            subnet?: string;
            gateway?: string;
            ipRange?: string;
            auxAddress?: Record<string, string>;
        };
        const network = await this.docker.createNetwork({
            Name: name,
            Driver: driver,
            Options: options,
            IPAM: ipamConfigs
                ? {
                      Driver: "default",
                      Config: (ipamConfigs as Ipam[]).map((c) => ({
                          Subnet: c.subnet,
                          Gateway: c.gateway,
                          IPRange: c.ipRange,
                          AuxiliaryAddresses: c.auxAddress,
                      })),
                  }
                : undefined,
            Labels: this.labels(resource.inputs.labels),
            CheckDuplicate: true,
        });
        return network.id;
    }

    private async createVolume(resource: DeclaredResource): Promise<string> {
        // Like `docker volume create`, this returns the existing volume of that name, with the
        // labels it already has: a re-added tenant gets its old data back, an adopted volume
        // keeps its compose labels.
        const volume = (await this.docker.createVolume({
            Name: resource.inputs.name,
            Labels: this.labels(resource.inputs.labels),
            Driver: resource.inputs.driver,
            DriverOpts: resource.inputs.driverOpts,
        })) as unknown as {
            Name?: string;
            name?: string;
        };
        return volume.Name ?? volume.name ?? resource.inputs.name;
    }

    private async createContainer(resource: DeclaredResource, created: (id: string) => void): Promise<void> {
        const i = resource.inputs;
        const mb = (n: number | undefined) => (n === undefined ? undefined : n * 1024 * 1024);
        const image = this.imageIds.get(i.image) ?? i.image;
        const healthcheck = i.healthcheck as Record<string, any> | undefined;
        const startInterval =
            healthcheck?.startInterval === undefined ? 0 : durationNs(healthcheck.startInterval);
        // The provider's Docker client refuses a start interval below API 1.44 (moby
        // client/container_create.go, "specify health-check start interval").
        const apiVersion = await this.engineApiVersion();
        if (startInterval !== 0 && compareVersions(apiVersion, "1.44") < 0) {
            throw new Error(
                `${resource.name}: "specify health-check start interval" requires API version 1.44, but the Docker daemon API version is ${apiVersion}`,
            );
        }
        type Mount = {
            type: string;
            source?: string;
            target: string;
            readOnly?: boolean;
            bindOptions?: { propagation?: string };
            tmpfsOptions?: { sizeBytes?: number; mode?: number };
        };
        // portSetToDockerPorts (resource_docker_container_structures.go): each port is exposed as
        // "<internal>/<protocol>" and bound at ip:external; the schema's defaults are 0.0.0.0 and tcp.
        type Port = { internal: number; external?: number; ip?: string; protocol?: string };
        const ports = ((i.ports ?? []) as Port[]).map((p) => ({
            key: `${p.internal}/${p.protocol ?? "tcp"}`,
            binding: {
                HostIp: p.ip ?? "0.0.0.0",
                HostPort: p.external === undefined ? "" : String(p.external),
            },
        }));
        const container: Docker.Container = await this.docker.createContainer({
            name: i.name,
            Image: image,
            Entrypoint: i.entrypoints,
            Cmd: i.command,
            User: i.user,
            Env: i.envs,
            Labels: this.labels(i.labels),
            StopTimeout: i.stopTimeout,
            // The provider's stop_signal is Config.StopSignal, its init HostConfig.Init
            // (terraform-provider-docker, internal/provider/resource_docker_container_funcs.go).
            StopSignal: i.stopSignal,
            ExposedPorts: ports.length === 0 ? undefined : Object.fromEntries(ports.map((p) => [p.key, {}])),
            Healthcheck: healthcheck
                ? {
                      Test: healthcheck.tests,
                      Interval: durationNs(healthcheck.interval ?? "0s"),
                      Timeout: durationNs(healthcheck.timeout ?? "0s"),
                      Retries: healthcheck.retries ?? 0,
                      StartPeriod: durationNs(healthcheck.startPeriod ?? "0s"),
                      ...(startInterval === 0 ? {} : { StartInterval: startInterval }),
                  }
                : undefined,
            HostConfig: {
                Init: i.init,
                // cgroup_parent is HostConfig.CgroupParent (resource_docker_container_funcs.go).
                CgroupParent: i.cgroupParent,
                PortBindings:
                    ports.length === 0
                        ? undefined
                        : ports.reduce<Record<string, { HostIp: string; HostPort: string }[]>>(
                              (all, p) => ({ ...all, [p.key]: [...(all[p.key] ?? []), p.binding] }),
                              {},
                          ),
                Mounts: ((i.mounts ?? []) as Mount[]).map((m) => ({
                    Type: m.type as "bind" | "volume" | "tmpfs",
                    Source: m.source ?? "",
                    Target: m.target,
                    ReadOnly: m.readOnly ?? false,
                    BindOptions: m.bindOptions && { Propagation: m.bindOptions.propagation as "rprivate" },
                    TmpfsOptions: m.tmpfsOptions && {
                        SizeBytes: m.tmpfsOptions.sizeBytes ?? 0,
                        Mode: m.tmpfsOptions.mode ?? 0,
                    },
                })),
                Binds: (i.volumes ?? []).map(
                    (v: { hostPath: string; containerPath: string; readOnly?: boolean }) =>
                        `${v.hostPath}:${v.containerPath}:${v.readOnly ? "ro" : "rw"}`,
                ),
                ReadonlyRootfs: i.readOnly ?? false,
                Tmpfs: i.tmpfs,
                LogConfig: i.logDriver ? { Type: i.logDriver, Config: i.logOpts ?? {} } : undefined,
                Memory: mb(i.memory),
                MemoryReservation: mb(i.memoryReservation),
                MemorySwap: mb(i.memorySwap),
                NanoCpus: i.cpus === undefined ? undefined : nanoCpus(Number(i.cpus)),
                CpuShares: i.cpuShares,
                Ulimits: (i.ulimits ?? []).map((u: { name: string; soft: number; hard: number }) => ({
                    Name: u.name,
                    Soft: u.soft,
                    Hard: u.hard,
                })),
                CapAdd: i.capabilities?.adds,
                CapDrop: i.capabilities?.drops,
                SecurityOpt: i.securityOpts,
                NetworkMode: i.networkMode ?? "bridge",
                RestartPolicy: { Name: i.restart ?? "no" },
            },
        });
        created(container.id);
        // As the provider does: off the default bridge, onto the declared networks with their
        // aliases and addresses, before start.
        if (i.networksAdvanced !== undefined) {
            await this.docker
                .getNetwork("bridge")
                .disconnect({ Container: container.id })
                .catch(() => undefined);
            type Attachment = {
                name: string;
                aliases?: string[];
                ipv4Address?: string;
                ipv6Address?: string;
            };
            for (const n of i.networksAdvanced as Attachment[]) {
                await this.docker.getNetwork(n.name).connect({
                    Container: container.id,
                    EndpointConfig: {
                        Aliases: n.aliases,
                        IPAMConfig: { IPv4Address: n.ipv4Address, IPv6Address: n.ipv6Address },
                    },
                });
            }
        }
        if (i.uploads !== undefined) {
            await container.putArchive(await uploadsTar(i.uploads), { path: "/" });
        }
        await container.start();
        if (i.wait === true) {
            await waitHealthy(container, (i.waitTimeout ?? 60) * 1000);
        }
        if (i.attach === true) {
            await container.wait();
        }
    }

    /** Removes everything carrying this run's label, whatever state the tests left it in. */
    async removeEverything(): Promise<void> {
        await removeLabelled(this.docker, this.runId);
        this.state.clear();
    }
}

function compareVersions(a: string, b: string): number {
    const [a1, a2] = a.split(".").map(Number);
    const [b1, b2] = b.split(".").map(Number);
    return a1 === b1 ? a2 - b2 : a1 - b1;
}

/**
 * Removes the containers, volumes and networks carrying the suite's label (with `value`, only
 * those of one run; without, also the leftovers of an aborted earlier run).
 */
export async function removeLabelled(docker: Docker, value?: string): Promise<void> {
    const filters = { label: [value === undefined ? testLabel : `${testLabel}=${value}`] };
    for (const c of await docker.listContainers({ all: true, filters })) {
        await docker.getContainer(c.Id).remove({ force: true, v: true });
    }
    for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) {
        await docker.getVolume(v.Name).remove();
    }
    for (const n of await docker.listNetworks({ filters })) {
        await docker.getNetwork(n.Id).remove();
    }
}

/** The provider's upload: one tar of files extracted at "/", with the declared mode and owner. */
async function uploadsTar(
    uploads: { file: string; content: string; owner?: string; group?: string; permissions?: string }[],
): Promise<Buffer> {
    const pack = tarStream.pack();
    for (const u of uploads) {
        const known = ["file", "content", "owner", "group", "permissions"];
        const unknown = Object.keys(u).filter((k) => !known.includes(k));
        if (unknown.length > 0) {
            throw new Error(`the engine adapter does not map upload.${unknown.join(", upload.")}`);
        }
        const uid = Number(u.owner ?? 0);
        const gid = Number(u.group ?? 0);
        // Tenant uids exceed the 7 octal digits of a plain tar header; PAX records carry them,
        // as Go's archive/tar (the provider's) writes them.
        pack.entry(
            {
                name: u.file.replace(/^\//, ""),
                mode: parseInt(u.permissions ?? "0644", 8),
                uid: 0,
                gid: 0,
                pax: { uid: String(uid), gid: String(gid) },
            },
            u.content,
        );
    }
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of pack) {
        chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
}

/**
 * Polls the container's health every second, as the provider's `wait` does, until healthy or the
 * timeout; a container without a healthcheck fails at once (resourceDockerContainerCreate).
 */
export async function waitHealthy(container: Docker.Container, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const info = await container.inspect();
        if (info.State.Health === undefined) {
            throw new Error(
                "you have supplied a 'wait' argument, but the container does not have a healthcheck defined. Please remove the 'wait' argument or add a 'healthcheck' attribute",
            );
        }
        if (info.State.Health.Status === "healthy") {
            return;
        }
        if (Date.now() > deadline) {
            throw new Error(
                `container ${info.Name} failed to be in healthy state (${info.State.Health?.Status ?? info.State.Status})`,
            );
        }
        await new Promise((r) => setTimeout(r, 1000));
    }
}
