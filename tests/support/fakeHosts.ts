import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { ReachedHosts } from "../../scripts/fleetMove";

/**
 * Host stacks and their engines as `fleet move` and `fleet drain` see them, in memory: each
 * stack's containers (running or stopped) and volumes, and its tenant secrets. `pulumi up` of a
 * stack makes its containers those of the tenant files that list it (a missing one created on
 * its volume, made when absent; one no file lists removed, its volume kept). Every call is
 * recorded; a call that starts with one of `failing` fails, once.
 */
export class FakeHosts {
    readonly containers = new Map<string, Map<string, "running" | "stopped">>();
    readonly volumes = new Map<string, Set<string>>();
    readonly secrets = new Map<string, Record<string, Record<string, string>>>();
    readonly calls: string[] = [];
    readonly failing = new Set<string>();

    constructor(
        private readonly root: string,
        stacks: ReadonlyArray<string>,
    ) {
        for (const stack of stacks) {
            this.containers.set(stack, new Map());
            this.volumes.set(stack, new Set());
            this.secrets.set(stack, {});
        }
    }

    /** A tenant running on a stack, with its volume and its secrets. */
    runs(stack: string, tenant: string): this {
        this.containers.get(stack)!.set(`zc-${tenant}`, "running");
        this.volumes.get(stack)!.add(`${tenant}-data`);
        this.secrets.get(stack)![tenant] = {
            anthropicApiKey: `key-${tenant}`,
            telegramBotToken: `token-${tenant}`,
        };
        return this;
    }

    /** Where each tenant runs: tenant → the stacks whose container of it runs. */
    running(): Record<string, string[]> {
        const where: Record<string, string[]> = {};
        for (const [stack, containers] of this.containers) {
            for (const [container, state] of containers) {
                if (state === "running") {
                    (where[container.replace(/^zc-/, "")] ??= []).push(stack);
                }
            }
        }
        return where;
    }

    private call(text: string): void {
        this.calls.push(text);
        const failure = [...this.failing].find((f) => text.startsWith(f));
        if (failure !== undefined) {
            this.failing.delete(failure);
            throw new Error(`fake failure of ${text}`);
        }
    }

    private outcome(text: string, work: () => void = () => undefined) {
        try {
            this.call(text);
            work();
            return Promise.resolve({ ok: true as const });
        } catch (err) {
            return Promise.resolve({ ok: false as const, reason: (err as Error).message });
        }
    }

    /** The tenants whose files list `stack`. */
    private listing(stack: string): string[] {
        const dir = path.join(this.root, "tenants");
        return fs
            .readdirSync(dir)
            .map(
                (f) =>
                    parse(fs.readFileSync(path.join(dir, f), "utf8")) as { name: string; stacks: string[] },
            )
            .filter((t) => t.stacks.includes(stack))
            .map((t) => t.name);
    }

    reached(): ReachedHosts {
        const later = <T>(work: () => T): Promise<T> => Promise.resolve().then(work);
        return {
            close: () => undefined,
            effects: {
                readSecret: (stack, tenant, name) =>
                    later(
                        () => (
                            this.call(`read ${stack} ${tenant}.${name}`),
                            this.secrets.get(stack)![tenant][name]
                        ),
                    ),
                writeSecret: (stack, tenant, name, value) =>
                    later(() => {
                        this.call(`write ${stack} ${tenant}.${name}`);
                        const secrets = this.secrets.get(stack)!;
                        secrets[tenant] = { ...secrets[tenant], [name]: value };
                    }),
                removeSecrets: (stack, tenant) =>
                    later(() => {
                        this.call(`remove secrets ${stack} ${tenant}`);
                        delete this.secrets.get(stack)![tenant];
                    }),
                readFile: (file) => fs.readFileSync(path.join(this.root, file), "utf8"),
                writeFile: (file, text) => {
                    this.call(`write file ${file}`);
                    fs.writeFileSync(path.join(this.root, file), text);
                },
                preview: (stack) => this.outcome(`preview ${stack}`),
                up: (stack) =>
                    this.outcome(`up ${stack}`, () => {
                        const containers = this.containers.get(stack)!;
                        const wanted = new Set(this.listing(stack).map((t) => `zc-${t}`));
                        for (const container of wanted) {
                            if (!containers.has(container)) {
                                this.volumes.get(stack)!.add(`${container.replace(/^zc-/, "")}-data`);
                                containers.set(container, "running");
                            }
                        }
                        for (const container of [...containers.keys()].filter((c) => !wanted.has(c))) {
                            containers.delete(container);
                        }
                    }),
                containerState: (stack, container) =>
                    later(
                        () => (
                            this.call(`state ${stack} ${container}`),
                            this.containers.get(stack)!.get(container) ?? "absent"
                        ),
                    ),
                volumeExists: (stack, volume) =>
                    later(
                        () => (this.call(`volume? ${stack} ${volume}`), this.volumes.get(stack)!.has(volume)),
                    ),
                stop: (stack, container) =>
                    later(() => {
                        this.call(`stop ${stack} ${container}`);
                        this.containers.get(stack)!.set(container, "stopped");
                    }),
                start: (stack, container) =>
                    later(() => {
                        this.call(`start ${stack} ${container}`);
                        this.containers.get(stack)!.set(container, "running");
                    }),
                copyVolume: (from, to, volume) =>
                    later(() => {
                        this.volumes.get(to)!.add(volume);
                        this.call(`copy ${from} ${to} ${volume}`);
                    }),
                removeVolume: (stack, volume) =>
                    later(() => {
                        this.call(`remove volume ${stack} ${volume}`);
                        this.volumes.get(stack)!.delete(volume);
                    }),
                waitReady: (stack, container) =>
                    this.outcome(`ready ${stack} ${container}`, () => {
                        if (this.containers.get(stack)!.get(container) !== "running") {
                            throw new Error(`${container} is not running on ${stack}`);
                        }
                    }),
                now: () => 0,
            },
        };
    }
}
