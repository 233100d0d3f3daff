import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { storedConfig } from "./prodStack";
import { serverTypesFixture } from "./serverTypes";

/** A resource as the program declared it, with its inputs as the engine would receive them. */
export interface DeclaredResource {
    type: string;
    name: string;
    urn: string;
    /** Inputs with secrets unwrapped. */
    inputs: Record<string, any>;
    /** Inputs as serialized, secrets still wrapped in Pulumi's secret envelope. */
    rawInputs: Record<string, unknown>;
    /** What the mock provider returned: inputs plus computed outputs (a fake image id, say). */
    state: Record<string, any>;
    provider: string;
    parent: string;
    options: {
        /** The provider plugin version the engine would load for this resource. */
        version: string;
        deleteBeforeReplace: boolean;
        retainOnDelete: boolean;
        protect: boolean;
        ignoreChanges: string[];
        replaceOnChanges: string[];
        dependencies: string[];
    };
}

/** A component as the program declared it: where it sits in the tree. */
export interface DeclaredComponent {
    type: string;
    name: string;
    urn: string;
    parent: string;
}

export interface ProgramRun {
    resources: DeclaredResource[];
    /** The ComponentResources, in the order they were declared. */
    components: DeclaredComponent[];
    /** The URNs from `urn` up to the stack: its parent, the parent's parent, and so on. */
    ancestors(urn: string): string[];
    outputs: Record<string, unknown>;
    /** Stack outputs as serialized, secrets wrapped. */
    rawOutputs: unknown;
    logs: string[];
    byType(type: string): DeclaredResource[];
    one(type: string, name: string): DeclaredResource;
}

export interface RunOptions {
    stack?: string;
    /** Bare keys (no namespace) → value; objects and arrays are JSON-encoded like the CLI does. */
    config?: Record<string, unknown>;
    /** Config under other namespaces, e.g. { "hcloud:token": "..." }. */
    extraConfig?: Record<string, string>;
    /** tenantSecrets, stored as an encrypted key unless `secretsInPlaintext`. */
    tenantSecrets?: Record<string, Record<string, string>>;
    secretsInPlaintext?: boolean;
    /** Bare keys stored encrypted, as `pulumi config set --secret` does (e.g. backupPassword). */
    secretConfig?: Record<string, string>;
    /** The id the mock engine gives a new resource; by default `<name>-id`. */
    mockId?: (type: string, name: string, inputs: Record<string, any>) => string;
    /** Tenant files: file name → text. Written to a fresh folder used as tenantsDir. */
    tenantFiles?: Record<string, string>;
    preview?: boolean;
    /**
     * What to run instead of index.ts, for a component's own tests: given `load`, which requires
     * a module of the project by its path from the project folder (`components/host/createHost`)
     * in the run's own module registry, where Pulumi's mocks are. Default: the program.
     */
    program?: (load: (modulePath: string) => any) => unknown;
}

const repo = path.resolve(__dirname, "..", "..");

export const secretSigKey = "4dabf18193072939515e22adb298388d";

/**
 * Runs index.ts under Pulumi's mocks in a fresh module registry and records every resource
 * registration, including the raw (secret-wrapped) inputs the engine would see.
 */
export async function runProgram(options: RunOptions = {}): Promise<ProgramRun> {
    const stack = options.stack ?? "dev";
    const tenantsDir = fs.mkdtempSync(path.join(os.tmpdir(), "zc-tenants-"));
    for (const [file, text] of Object.entries(options.tenantFiles ?? {})) {
        fs.writeFileSync(path.join(tenantsDir, file), text);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(storedConfig({ tenantsDir, ...(options.config ?? {}) }))) {
        config[`zeptoclaw-fleet:${key}`] = value;
    }
    if (options.tenantSecrets !== undefined) {
        config["zeptoclaw-fleet:tenantSecrets"] = JSON.stringify(options.tenantSecrets);
        if (!options.secretsInPlaintext) {
            secretKeys.push("zeptoclaw-fleet:tenantSecrets");
        }
    }
    for (const [key, value] of Object.entries(options.secretConfig ?? {})) {
        config[`zeptoclaw-fleet:${key}`] = value;
        secretKeys.push(`zeptoclaw-fleet:${key}`);
    }
    Object.assign(config, options.extraConfig ?? {});

    const resources: DeclaredResource[] = [];
    const components: DeclaredComponent[] = [];
    const logs: string[] = [];
    let outputs: Record<string, unknown> = {};
    let rawOutputs: unknown;
    let failure: Error | undefined;

    const originalLog = console.log;
    const originalError = console.error;
    const originalWarn = console.warn;
    const capture = (...args: unknown[]) => logs.push(args.map(String).join(" "));
    console.log = capture;
    console.error = capture;
    console.warn = capture;
    try {
        await new Promise<void>((resolve) => {
            jest.isolateModules(() => {
                const pulumi = require("@pulumi/pulumi");
                const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks");
                const rpc = require("@pulumi/pulumi/runtime/rpc");
                const original = MockMonitor.prototype.registerResource;
                MockMonitor.prototype.registerResource = function (req: any, callback: any) {
                    if (req.getCustom()) {
                        resources.push({
                            type: req.getType(),
                            name: req.getName(),
                            urn: "",
                            inputs: unwrapSecrets(rpc.deserializeProperties(req.getObject())),
                            rawInputs: req.getObject().toJavaScript(),
                            state: {},
                            provider: req.getProvider(),
                            parent: req.getParent(),
                            options: {
                                version: req.getVersion(),
                                deleteBeforeReplace: req.getDeletebeforereplace(),
                                retainOnDelete: req.getRetainondelete?.() ?? false,
                                protect: req.getProtect?.() ?? false,
                                ignoreChanges: req.getIgnorechangesList(),
                                replaceOnChanges: req.getReplaceonchangesList(),
                                dependencies: req.getDependenciesList(),
                            },
                        });
                    }
                    return original.call(this, req, (err: unknown, response: any) => {
                        if (!err && !req.getCustom()) {
                            components.push({
                                type: req.getType(),
                                name: req.getName(),
                                urn: response.getUrn(),
                                parent: req.getParent(),
                            });
                        }
                        if (!err && req.getCustom()) {
                            const entry = resources.find(
                                (r) => r.name === req.getName() && r.type === req.getType() && r.urn === "",
                            );
                            if (entry) {
                                entry.urn = response.getUrn();
                            }
                        }
                        callback(err, response);
                    });
                };
                pulumi.runtime.setAllConfig(config, secretKeys);
                pulumi.runtime
                    .setMocks(
                        {
                            newResource: (args: any) => {
                                const state = mockState(args.type, args.name, args.inputs);
                                const entry = resources.find(
                                    (r) => r.name === args.name && r.type === args.type && r.urn === "",
                                );
                                if (entry) {
                                    entry.state = state;
                                }
                                const id =
                                    options.mockId?.(args.type, args.name, args.inputs) ?? `${args.name}-id`;
                                return { id, state };
                            },
                            call: (args: any) => {
                                if (args.token === "hcloud:index/getServerTypes:getServerTypes") {
                                    return {
                                        id: "server-types",
                                        serverTypes: serverTypesFixture,
                                        names: [],
                                        descriptions: [],
                                        serverTypeIds: [],
                                    };
                                }
                                throw new Error(`unexpected invoke ${args.token}`);
                            },
                        },
                        "zeptoclaw-fleet",
                        stack,
                        options.preview ?? false,
                    )
                    .then(async () => {
                        const load = (modulePath: string) => require(path.join(repo, modulePath));
                        const result = await (options.program ?? (() => require("../../index")()))(load);
                        const resolved = pulumi.output(result);
                        outputs = await new Promise((r) =>
                            resolved.apply((v: Record<string, unknown>) => r(v)),
                        );
                        rawOutputs = await rpc.serializeProperty("outputs", result, new Set(), {
                            keepOutputValues: false,
                        });
                        // Let pending registrations finish before reading the records.
                        await new Promise((r) => setTimeout(r, 0));
                        MockMonitor.prototype.registerResource = original;
                        resolve();
                    })
                    .catch((err: Error) => {
                        MockMonitor.prototype.registerResource = original;
                        failure = err;
                        resolve();
                    });
            });
        });
    } finally {
        console.log = originalLog;
        console.error = originalError;
        console.warn = originalWarn;
        fs.rmSync(tenantsDir, { recursive: true, force: true });
    }
    if (failure !== undefined) {
        // Tests of refused input also check that nothing was declared before the refusal.
        Object.assign(failure, { declared: resources });
        throw failure;
    }
    const parentOf = new Map([...resources, ...components].map((r) => [r.urn, r.parent] as [string, string]));
    return {
        resources,
        components,
        ancestors: (urn) => {
            const chain: string[] = [];
            for (let at = parentOf.get(urn); at !== undefined && at !== ""; at = parentOf.get(at)) {
                chain.push(at);
            }
            return chain;
        },
        outputs,
        rawOutputs,
        logs,
        byType: (type) => resources.filter((r) => r.type === type),
        one: (type, name) => {
            const found = resources.filter((r) => r.type === type && r.name === name);
            if (found.length !== 1) {
                throw new Error(
                    `expected one ${type} named ${name}, found ${found.length}: ${resources.map((r) => `${r.type}::${r.name}`).join(", ")}`,
                );
            }
            return found[0];
        },
    };
}

/** What the providers would return: inputs plus the computed outputs the program reads. */
function mockState(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
    switch (type) {
        case "docker:index/remoteImage:RemoteImage":
            return {
                ...inputs,
                imageId: `sha256:${digestOf(inputs.name)}`,
                repoDigest: `${inputs.name}@sha256:${digestOf(inputs.name)}`,
            };
        case "docker:index/image:Image":
            return { ...inputs, repoDigest: `sha256:${digestOf(JSON.stringify(inputs.build))}` };
        case "hcloud:index/server:Server":
            return { ...inputs, ipv4Address: "198.51.100.7", ipv6Address: "2001:db8::7" };
        case "tls:index/privateKey:PrivateKey":
            return {
                ...inputs,
                privateKeyOpenssh:
                    "-----BEGIN OPENSSH PRIVATE KEY-----\nMOCKHOSTKEYPRIVATE\n-----END OPENSSH PRIVATE KEY-----\n",
                publicKeyOpenssh: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockHostKey\n",
            };
        case "hcloud:index/primaryIp:PrimaryIp":
            return { ...inputs, ipAddress: "198.51.100.7" };
        case "hcloud:index/storageBox:StorageBox":
            return { ...inputs, username: "u123456", server: "u123456.your-storagebox.de" };
        case "command:remote:Command":
            return { ...inputs, stdout: "20.10.24", stderr: "" };
        default:
            return { ...inputs, name: inputs.name ?? name };
    }
}

function digestOf(text: string): string {
    return require("node:crypto").createHash("sha256").update(String(text)).digest("hex");
}

/** A deep copy of `value` with Pulumi's secret envelopes replaced by what they hold. */
export function unwrapSecrets(value: any): any {
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (value !== null && typeof value === "object") {
        if (value[secretSigKey] === "1b47061264138c4ac30d75fd1eb44270") {
            return unwrapSecrets(value.value);
        }
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

/** Strings of `value` that are not inside a Pulumi secret envelope. */
export function plaintextStrings(value: unknown): string[] {
    if (typeof value === "string") {
        return [value];
    }
    if (Array.isArray(value)) {
        return value.flatMap(plaintextStrings);
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[secretSigKey] === "1b47061264138c4ac30d75fd1eb44270") {
            return [];
        }
        return Object.values(record).flatMap(plaintextStrings);
    }
    return [];
}
