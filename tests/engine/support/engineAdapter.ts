import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import Docker from "dockerode";
import * as tarFs from "tar-fs";
import * as tarStream from "tar-stream";
import { DeclaredResource, ProgramRun } from "../../support/runProgram";

/** Every object the suite creates carries this label, with the suite's run id. */
export const testLabel = "org.zeptoclaw-fleet.test";

interface Deployed {
    resource: DeclaredResource;
    /** Docker's id (container, network, image) or name (volume). */
    dockerId: string;
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

/** Fails when `inputs` has a key this adapter does not map: nothing is silently dropped. */
function onlyKnown(resource: DeclaredResource, known: ReadonlyArray<string>): void {
    const unknown = Object.keys(resource.inputs).filter((k) => !known.includes(k));
    if (unknown.length > 0) {
        throw new Error(
            `${resource.type} ${resource.name}: the engine adapter does not map the input(s) ${unknown.join(", ")}`,
        );
    }
}

const containerKeys = [
    "name",
    "image",
    "entrypoints",
    "command",
    "user",
    "envs",
    "labels",
    "mounts",
    "volumes",
    "readOnly",
    "tmpfs",
    "healthcheck",
    "logDriver",
    "logOpts",
    "memory",
    "memoryReservation",
    "memorySwap",
    "cpus",
    "cpuShares",
    "ulimits",
    "capabilities",
    "securityOpts",
    "networkMode",
    "networksAdvanced",
    "restart",
    "wait",
    "waitTimeout",
    "attach",
    "mustRun",
    "uploads",
    "destroyGraceSeconds",
    "stopTimeout",
    "stopSignal",
    "init",
    "cgroupParent",
] as const;

/**
 * Applies what the program declared (under Pulumi's mocks) to a real Docker engine, the way the
 * Docker provider would: resources in registration order (a valid dependency order), replaced
 * when their inputs change (delete first when the program asks for it), deleted when they leave
 * the program unless retained. Every input the program sets is mapped to the Docker API; an
 * input the adapter does not know fails the deployment.
 */
export class EngineAdapter {
    private readonly state = new Map<string, Deployed>();
    /** Mock image ids (what the program saw) to the real ids the engine built. */
    private readonly imageIds = new Map<string, string>();

    constructor(
        readonly docker: Docker,
        readonly runId: string,
    ) {}

    /**
     * Deploys a program run; returns the names of the resources created or replaced. Like the
     * Pulumi engine, a resource starts as soon as the resources it depends on are done, so
     * independent tenants deploy (and wait for health) in parallel.
     */
    async apply(run: ProgramRun): Promise<string[]> {
        const changed: string[] = [];
        const done = new Map<string, Promise<void>>();
        for (const resource of run.resources) {
            const dependencies = resource.options.dependencies.map(
                (urn) => done.get(urn) ?? Promise.resolve(),
            );
            done.set(
                resource.urn,
                Promise.all(dependencies).then(async () => {
                    const previous = this.state.get(resource.urn);
                    if (
                        previous !== undefined &&
                        isDeepStrictEqual(previous.resource.inputs, resource.inputs)
                    ) {
                        this.state.set(resource.urn, { ...previous, resource });
                        return;
                    }
                    changed.push(resource.name);
                    if (previous !== undefined && resource.options.deleteBeforeReplace) {
                        await this.delete(previous);
                    }
                    const dockerId = await this.create(resource);
                    if (previous !== undefined && !resource.options.deleteBeforeReplace) {
                        await this.delete(previous);
                    }
                    this.state.set(resource.urn, { resource, dockerId });
                }),
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

    private async create(resource: DeclaredResource): Promise<string> {
        switch (resource.type) {
            case "pulumi:providers:docker":
                return "provider";
            case "docker:index/image:Image":
                return this.buildImage(resource);
            case "docker:index/network:Network":
                return this.createNetwork(resource);
            case "docker:index/volume:Volume":
                return this.createVolume(resource);
            case "docker:index/container:Container":
                return this.createContainer(resource);
            default:
                throw new Error(`the engine adapter cannot create ${resource.type} (${resource.name})`);
        }
    }

    private async delete(deployed: Deployed): Promise<void> {
        const { resource, dockerId } = deployed;
        switch (resource.type) {
            case "docker:index/container:Container": {
                const container = this.docker.getContainer(dockerId);
                await container.stop({ t: resource.inputs.destroyGraceSeconds ?? 0 }).catch(() => undefined);
                await container.remove({ force: true, v: true });
                return;
            }
            case "docker:index/volume:Volume":
                await this.docker.getVolume(dockerId).remove();
                return;
            case "docker:index/network:Network":
                await this.docker.getNetwork(dockerId).remove();
                return;
            default:
                // Images are kept, as the provider does for local builds; providers hold nothing.
                return;
        }
    }

    private labels(list: { label: string; value: string }[] | undefined): Record<string, string> {
        const labels: Record<string, string> = { [testLabel]: this.runId };
        for (const { label, value } of list ?? []) {
            labels[label] = value;
        }
        return labels;
    }

    private async buildImage(resource: DeclaredResource): Promise<string> {
        // buildOnPreview only decides whether a preview builds; an update always builds.
        onlyKnown(resource, ["imageName", "build", "skipPush", "buildOnPreview"]);
        const { imageName, build, skipPush } = resource.inputs;
        if (skipPush !== true) {
            throw new Error("the engine suite cannot push images: no registry is reachable");
        }
        const unknownBuild = Object.keys(build).filter((k) => !["context", "dockerfile"].includes(k));
        if (unknownBuild.length > 0) {
            throw new Error(`the engine adapter does not map build.${unknownBuild.join(", build.")}`);
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

    private async createNetwork(resource: DeclaredResource): Promise<string> {
        onlyKnown(resource, ["name", "driver", "options", "ipamConfigs", "labels"]);
        const { name, driver, options, ipamConfigs } = resource.inputs;
        const network = await this.docker.createNetwork({
            Name: name,
            Driver: driver,
            Options: options,
            IPAM: ipamConfigs
                ? {
                      Driver: "default",
                      Config: ipamConfigs.map((c: { subnet: string }) => ({ Subnet: c.subnet })),
                  }
                : undefined,
            Labels: this.labels(resource.inputs.labels),
            CheckDuplicate: true,
        });
        return network.id;
    }

    private async createVolume(resource: DeclaredResource): Promise<string> {
        onlyKnown(resource, ["name", "labels"]);
        // Like `docker volume create`, this returns the existing volume of that name: a re-added
        // tenant gets its old data back.
        const volume = (await this.docker.createVolume({
            Name: resource.inputs.name,
            Labels: this.labels(resource.inputs.labels),
        })) as unknown as {
            Name?: string;
            name?: string;
        };
        return volume.Name ?? volume.name ?? resource.inputs.name;
    }

    private async createContainer(resource: DeclaredResource): Promise<string> {
        onlyKnown(resource, containerKeys);
        const i = resource.inputs;
        const mb = (n: number | undefined) => (n === undefined ? undefined : n * 1024 * 1024);
        const image = this.imageIds.get(i.image) ?? i.image;
        const container = await this.docker.createContainer({
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
            Healthcheck: i.healthcheck
                ? {
                      Test: i.healthcheck.tests,
                      Interval: durationNs(i.healthcheck.interval),
                      Timeout: durationNs(i.healthcheck.timeout),
                      Retries: i.healthcheck.retries,
                      StartPeriod: durationNs(i.healthcheck.startPeriod),
                  }
                : undefined,
            HostConfig: {
                Init: i.init,
                // cgroup_parent is HostConfig.CgroupParent (resource_docker_container_funcs.go).
                CgroupParent: i.cgroupParent,
                Mounts: (i.mounts ?? []).map(
                    (m: { type: string; source: string; target: string; readOnly?: boolean }) => ({
                        Type: m.type as "bind" | "volume",
                        Source: m.source,
                        Target: m.target,
                        ReadOnly: m.readOnly ?? false,
                    }),
                ),
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
                NanoCpus: i.cpus === undefined ? undefined : Math.round(Number(i.cpus) * 1e9),
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
        // As the provider does: off the default bridge, onto the declared networks, before start.
        if (i.networksAdvanced !== undefined) {
            await this.docker
                .getNetwork("bridge")
                .disconnect({ Container: container.id })
                .catch(() => undefined);
            for (const n of i.networksAdvanced as { name: string }[]) {
                await this.docker.getNetwork(n.name).connect({ Container: container.id });
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
        return container.id;
    }

    /** Removes everything carrying this run's label, whatever state the tests left it in. */
    async removeEverything(): Promise<void> {
        await removeLabelled(this.docker, this.runId);
        this.state.clear();
    }
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

/** Polls the container's health, as the provider's `wait` does, until healthy or the timeout. */
export async function waitHealthy(container: Docker.Container, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const info = await container.inspect();
        if (info.State.Health?.Status === "healthy") {
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
