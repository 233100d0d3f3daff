import { defaultHostImage, dockerPackageMismatch, hostImages, supportedHostImages } from "./hostImages";
import { z } from "zod";
import { InputProblem, formatPath } from "../errors";
import { configLocation } from "./configLocation";
import { unreachable } from "../unreachable";
import { BackupTarget } from "./backupPlan";
import { restartWindowSeconds } from "./alertSettings";
import { isAlertSecretKey } from "./alertSecrets";
import { isBackupSecretKey } from "./backupSecrets";
import { ImagePlan } from "./imagePlan";
import { ImageRing, parseImageRings } from "./imageRings";
import { stackNamePattern, tenantNamePattern } from "../tenants/tenantSchema";
import { agentModes } from "../zeptoclaw/contract/agentsSchema";
import { builtinToolNames } from "../zeptoclaw/contract/toolNames";

/** The Pulumi config namespace: the project name in Pulumi.yaml. */
const cidr = z.union([z.cidrv4(), z.cidrv6()], {
    error: "is not an IPv4 or IPv6 CIDR such as 203.0.113.0/24 or 2001:db8::/32",
});

const sshPublicKey = z
    .string()
    .regex(
        /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/=]+( .*)?$/,
        {
            error: "is not an OpenSSH public key line (e.g. the content of ~/.ssh/id_ed25519.pub)",
        },
    );

const common = {
    environment: z.string().regex(stackNamePattern, { error: "is not a valid environment name" }).optional(),
    hostName: z.string().regex(tenantNamePattern, {
        error: "is a stable host name in DNS-label style (lowercase letters, digits, '-'); resource names derive from it",
    }),
    hostReservedMemoryMb: z.number().int().min(0).max(65_536),
    configRoot: z
        .string()
        .regex(/^\/[A-Za-z0-9._/-]+$/, {
            error: "is an absolute path on the host, such as /var/lib/zeptoclaw-fleet/tenants",
        })
        .refine((p) => !p.split("/").includes(".."), { error: "must not contain '..'" }),
    tenantsDir: z.string().min(1),
    tenantSubnet: cidr.optional(),
    imageSource: z.enum(["published", "build"], {
        error: 'is "published" (pull a released image) or "build" (build from imageContext)',
    }),
    imageRepository: z
        .string()
        .regex(/^[a-z0-9]+([._/-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, {
            error: "is not an image repository such as ghcr.io/qhkm/zeptoclaw",
        }),
    imageVersion: z
        .string()
        .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: "is a version tag such as 0.9.2" }),
    imageDigest: z
        .string()
        .regex(/^sha256:[a-f0-9]{64}$/, { error: "is a digest such as sha256:<64 hex digits>" })
        .optional(),
    imageContext: z.string().min(1).optional(),
    imageDockerfile: z.string().min(1).optional(),
    /** Upgrade rings in order, each `<ring>` or `<ring>=<version>` (lib/config/imageRings.ts). */
    imageRings: z.array(z.string({ error: "is a ring, <ring> or <ring>=<version>, as a string" })),
    policyDeniedTools: z.array(
        z.enum(builtinToolNames, {
            error: `is not a ZeptoClaw tool name; the built-in tools are ${builtinToolNames.join(", ")}`,
        }),
    ),
    policyMaxAgentMode: z.enum(agentModes, { error: "is observer, assistant or autonomous" }),
    policyMonthlyCostCapUsd: z.number().int().min(0),
    policyMonthlyTokenCap: z.number().int().min(0),
    policyRequireApproval: z.boolean(),
    policyRequireSafety: z.boolean(),
};

const localHost = z.strictObject({
    ...common,
    hostKind: z.literal("local"),
    dockerHost: z.string().regex(/^(unix|tcp|ssh|npipe):\/\/.+/, {
        error: "is a Docker host such as unix:///var/run/docker.sock",
    }),
    hostMemoryMb: z.number().int().min(256, { error: "is the engine host's memory in MB (at least 256)" }),
    cgroupDriver: z
        .enum(["systemd", "cgroupfs"], {
            error: 'is the engine\'s cgroup driver ("systemd" or "cgroupfs", as `docker info` shows it)',
        })
        .optional(),
    dockerApiVersion: z.string().regex(/^1\.\d{1,3}$/, {
        error: "is the engine's Docker API version, as `docker version --format '{{.Server.APIVersion}}'` prints it, such as 1.45",
    }),
});

const hetznerHost = z.strictObject({
    ...common,
    hostKind: z.literal("hetzner"),
    serverType: z.string().regex(/^[a-z0-9-]+$/, { error: "is a Hetzner server type such as cx32" }),
    serverLocation: z.string().regex(/^[a-z0-9-]+$/, { error: "is a Hetzner location such as fsn1" }),
    serverImage: z.enum(supportedHostImages, {
        error: `is a host image the program supports: ${supportedHostImages.join(" or ")} (the host scripts are tested on these only)`,
    }),
    sshAllowedCidrs: z
        .array(cidr)
        .min(1, { error: "list at least one CIDR allowed to reach SSH, e.g. your office or VPN" }),
    sshPublicKeys: z.array(sshPublicKey).min(1, { error: "list at least one operator SSH public key" }),
    protectHost: z.boolean(),
    dataVolumeGb: z
        .number()
        .int()
        .min(10, { error: "is the tenant data Volume's size in GB (Hetzner's minimum is 10)" })
        .max(10_240),
    dockerPackageVersion: z
        .string()
        .regex(/^[A-Za-z0-9.+~:-]+$/, {
            error: "is a Debian package version such as 20.10.24+dfsg1-1+deb12u1+b6",
        })
        .optional(),
    backupTarget: z.enum(["none", "storagebox", "s3"], {
        error: 'is "storagebox" (a Hetzner Storage Box the program creates), "s3" (backupS3Repository) or "none"',
    }),
    backupStorageBoxType: z.string().regex(/^[a-z0-9-]+$/, { error: "is a Storage Box type such as bx11" }),
    backupSchedule: z.string().regex(/^[A-Za-z0-9 *:/,.~-]+$/, {
        error: "is a systemd OnCalendar expression such as *-*-* 03:00:00 or daily",
    }),
    backupKeepDaily: z.number().int().min(1, { error: "keep at least the last daily backup (1 or more)" }),
    backupKeepWeekly: z.number().int().min(0),
    backupKeepMonthly: z.number().int().min(0),
    backupS3Repository: z
        .string()
        .regex(/^s3:https?:\/\/[^\s]+\/[^\s]+$/, {
            error: "is restic's S3 repository string, such as s3:https://fsn1.your-objectstorage.com/bucket/fleet",
        })
        .optional(),
    alertDiskQuotaPercent: z
        .number()
        .int()
        .min(1, { error: "is the share (1-100) of its disk limit at which a tenant is reported" })
        .max(100, { error: "is the share (1-100) of its disk limit at which a tenant is reported" }),
    alertFreeMemoryPercent: z
        .number()
        .int()
        .min(0, {
            error: "is the share (0-99) of free memory below which the host is reported; 0 turns it off",
        })
        .max(99, {
            error: "is the share (0-99) of free memory below which the host is reported; 0 turns it off",
        }),
    alertFreeDiskPercent: z
        .number()
        .int()
        .min(0, {
            error: "is the share (0-99) of free disk below which the host is reported; 0 turns it off",
        })
        .max(99, {
            error: "is the share (0-99) of free disk below which the host is reported; 0 turns it off",
        }),
    alertRestarts: z
        .number()
        .int()
        .min(1, {
            error: `is how many restarts within ${restartWindowSeconds / 60} minutes make a restart loop (at least 1)`,
        }),
    alertBackupMaxAgeHours: z
        .number()
        .int()
        .min(1, { error: "is the age in hours (at least 1) past which a tenant's last backup is reported" }),
    webhookDomain: z
        .string()
        .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
            error: "is the host's DNS name for webhooks, in lowercase, such as hooks.example.com",
        })
        .optional(),
    webhookAcmeEmail: z
        .email({ error: "is an email address for the ACME CA, such as ops@example.com" })
        .optional(),
});

export const stackConfigSchema = z.discriminatedUnion("hostKind", [localHost, hetznerHost], {
    error: 'is "local" (the Docker engine at dockerHost) or "hetzner" (a Hetzner Cloud server)',
});

export type StackConfig = z.infer<typeof stackConfigSchema>;
export type LocalStackConfig = z.infer<typeof localHost>;
export type HetznerStackConfig = z.infer<typeof hetznerHost>;

/**
 * The defaults declared in Pulumi.yaml (a test keeps the two equal), applied here too so the
 * program behaves the same under test mocks. An empty string means "not set" for optional keys,
 * because Pulumi.yaml can only declare a key with a default.
 */
export const stackConfigDefaults: Readonly<Record<string, unknown>> = {
    environment: "",
    hostKind: "local",
    hostName: "local",
    hostReservedMemoryMb: 512,
    configRoot: "/var/lib/zeptoclaw-fleet/tenants",
    tenantsDir: "tenants",
    tenantSubnet: "",
    imageSource: "published",
    imageRepository: "ghcr.io/qhkm/zeptoclaw",
    imageVersion: "0.9.2",
    imageDigest: "",
    imageContext: "",
    imageDockerfile: "",
    imageRings: [],
    policyDeniedTools: [],
    policyMaxAgentMode: "autonomous",
    policyMonthlyCostCapUsd: 0,
    policyMonthlyTokenCap: 0,
    policyRequireApproval: false,
    policyRequireSafety: false,
    dockerHost: "unix:///var/run/docker.sock",
    hostMemoryMb: 4096,
    cgroupDriver: "",
    dockerApiVersion: "1.45",
    serverType: "cx32",
    serverLocation: "fsn1",
    serverImage: defaultHostImage,
    sshAllowedCidrs: [],
    sshPublicKeys: [],
    protectHost: false,
    dataVolumeGb: 20,
    dockerPackageVersion: "",
    backupTarget: "none",
    backupStorageBoxType: "bx11",
    backupSchedule: "*-*-* 03:00:00",
    backupKeepDaily: 7,
    backupKeepWeekly: 4,
    backupKeepMonthly: 6,
    backupS3Repository: "",
    alertDiskQuotaPercent: 90,
    alertFreeMemoryPercent: 10,
    alertFreeDiskPercent: 10,
    alertRestarts: 3,
    alertBackupMaxAgeHours: 26,
    webhookDomain: "",
    webhookAcmeEmail: "",
};

type KeyKind = "string" | "integer" | "boolean" | "array";

/**
 * How a key is stored by `pulumi config set` (everything arrives as a string), read off its
 * default: every key has one, of its own type.
 */
function keyKind(key: string): KeyKind | undefined {
    if (!(key in stackConfigDefaults)) {
        return undefined;
    }
    const value = stackConfigDefaults[key];
    if (Array.isArray(value)) {
        return "array";
    }
    return typeof value === "number" ? "integer" : typeof value === "boolean" ? "boolean" : "string";
}

/** Where a stack config key is set, for error messages: `Pulumi.<stack>.yaml: zeptoclaw-fleet:<key>`. */

/** Keys that only one host kind reads; the other kind ignores them. */
const onlyFor: Record<string, "local" | "hetzner"> = {
    dockerHost: "local",
    hostMemoryMb: "local",
    cgroupDriver: "local",
    dockerApiVersion: "local",
    serverType: "hetzner",
    serverLocation: "hetzner",
    serverImage: "hetzner",
    sshAllowedCidrs: "hetzner",
    sshPublicKeys: "hetzner",
    protectHost: "hetzner",
    dataVolumeGb: "hetzner",
    dockerPackageVersion: "hetzner",
    backupTarget: "hetzner",
    backupStorageBoxType: "hetzner",
    backupSchedule: "hetzner",
    backupKeepDaily: "hetzner",
    backupKeepWeekly: "hetzner",
    backupKeepMonthly: "hetzner",
    backupS3Repository: "hetzner",
    alertDiskQuotaPercent: "hetzner",
    alertFreeMemoryPercent: "hetzner",
    alertFreeDiskPercent: "hetzner",
    alertRestarts: "hetzner",
    alertBackupMaxAgeHours: "hetzner",
    webhookDomain: "hetzner",
    webhookAcmeEmail: "hetzner",
};

export type StackConfigResult =
    | { ok: true; config: StackConfig; backup: BackupTarget; image: ImagePlan; rings: ImageRing[] }
    | { ok: false; problems: InputProblem[] };

/**
 * Validates the stack config. `raw` maps bare keys (without the namespace) to the strings
 * Pulumi stores; `stack` names the stack file in messages.
 */
export function parseStackConfig(
    raw: Readonly<Record<string, string | undefined>>,
    stack: string,
): StackConfigResult {
    const where = (key: string): string => configLocation(stack, key);
    const problems: InputProblem[] = [];
    const values: Record<string, unknown> = { ...stackConfigDefaults };

    for (const [key, text] of Object.entries(raw)) {
        if (
            text === undefined ||
            key === "tenantSecrets" ||
            isBackupSecretKey(key) ||
            isAlertSecretKey(key)
        ) {
            continue;
        }
        const kind = keyKind(key);
        if (kind === undefined) {
            problems.push({
                where: where(key),
                path: "",
                message: `is not a zeptoclaw-fleet setting; remove it (pulumi config rm ${key})`,
            });
            continue;
        }
        const decoded = decode(kind, text);
        if (decoded.ok) {
            values[key] = decoded.value;
        } else {
            problems.push({ where: where(key), path: "", message: decoded.message });
        }
    }
    if (problems.length > 0) {
        return { ok: false, problems };
    }

    const hostKind = values.hostKind;
    const relevant = Object.fromEntries(
        Object.entries(values).filter(
            ([key, value]) => value !== "" && (onlyFor[key] === undefined || onlyFor[key] === hostKind),
        ),
    );
    const result = stackConfigSchema.safeParse(relevant);
    if (!result.success) {
        return {
            ok: false,
            problems: result.error.issues.map((issue) => {
                const [key, ...rest] = issue.path;
                return {
                    where: where(String(key ?? "hostKind")),
                    path: formatPath(rest),
                    message: issue.message,
                };
            }),
        };
    }
    const docker = dockerPackageOf(result.data, where);
    if (!docker.ok) {
        return { ok: false, problems: [docker.problem] };
    }
    const config = docker.value;
    const backup = backupTargetOf(config, where);
    if (!backup.ok) {
        return { ok: false, problems: [backup.problem] };
    }
    const image = imagePlanOf(config, where);
    if (!image.ok) {
        return { ok: false, problems: [image.problem] };
    }
    const rings = parseImageRings(config.imageRings, image.value, where("imageRings"));
    if (!rings.ok) {
        return { ok: false, problems: rings.problems };
    }
    return { ok: true, config, backup: backup.value, image: image.value, rings: rings.value };
}

type Checked<T> = { ok: true; value: T } | { ok: false; problem: InputProblem };

/** A Hetzner host's config with the docker.io version its image installs: the stack's, or the program's pin. */
function dockerPackageOf(config: StackConfig, where: (key: string) => string): Checked<StackConfig> {
    switch (config.hostKind) {
        case "local":
            return { ok: true, value: config };
        case "hetzner": {
            const pinned = config.dockerPackageVersion;
            if (pinned === undefined) {
                return {
                    ok: true,
                    value: {
                        ...config,
                        dockerPackageVersion: hostImages[config.serverImage].dockerPackageVersion,
                    },
                };
            }
            const mismatch = dockerPackageMismatch(config.serverImage, pinned);
            return mismatch === undefined
                ? { ok: true, value: config }
                : {
                      ok: false,
                      problem: { where: where("dockerPackageVersion"), path: "", message: mismatch },
                  };
        }
        default:
            return unreachable(config);
    }
}

function backupTargetOf(config: StackConfig, where: (key: string) => string): Checked<BackupTarget> {
    switch (config.hostKind) {
        case "local":
            return { ok: true, value: { kind: "none" } };
        case "hetzner": {
            const scheduled = {
                schedule: config.backupSchedule,
                retention: {
                    daily: config.backupKeepDaily,
                    weekly: config.backupKeepWeekly,
                    monthly: config.backupKeepMonthly,
                },
            };
            switch (config.backupTarget) {
                case "none":
                    return { ok: true, value: { kind: "none" } };
                case "storagebox":
                    return {
                        ok: true,
                        value: {
                            kind: "storagebox",
                            storageBoxType: config.backupStorageBoxType,
                            ...scheduled,
                        },
                    };
                case "s3":
                    return config.backupS3Repository === undefined
                        ? {
                              ok: false,
                              problem: {
                                  where: where("backupS3Repository"),
                                  path: "",
                                  message:
                                      'is required when backupTarget is "s3": s3:https://<endpoint>/<bucket>/<prefix>',
                              },
                          }
                        : {
                              ok: true,
                              value: { kind: "s3", repository: config.backupS3Repository, ...scheduled },
                          };
                default:
                    return unreachable(config.backupTarget);
            }
        }
        default:
            return unreachable(config);
    }
}

function imagePlanOf(config: StackConfig, where: (key: string) => string): Checked<ImagePlan> {
    switch (config.imageSource) {
        case "published":
            return {
                ok: true,
                value: {
                    source: "published",
                    repository: config.imageRepository,
                    version: config.imageVersion,
                    digest: config.imageDigest,
                },
            };
        case "build":
            return config.imageContext === undefined
                ? {
                      ok: false,
                      problem: {
                          where: where("imageContext"),
                          path: "",
                          message:
                              'is required when imageSource is "build": the path of a ZeptoClaw checkout',
                      },
                  }
                : {
                      ok: true,
                      value: {
                          source: "build",
                          version: config.imageVersion,
                          context: config.imageContext,
                          dockerfile: config.imageDockerfile ?? "Dockerfile",
                      },
                  };
        default:
            return unreachable(config.imageSource);
    }
}

function decode(kind: KeyKind, text: string): { ok: true; value: unknown } | { ok: false; message: string } {
    switch (kind) {
        case "integer": {
            const n = Number(text);
            return Number.isInteger(n) && text.trim() !== ""
                ? { ok: true, value: n }
                : { ok: false, message: `is "${text}", not a whole number` };
        }
        case "boolean":
            return text === "true" || text === "false"
                ? { ok: true, value: text === "true" }
                : { ok: false, message: `is "${text}", not true or false` };
        case "array": {
            try {
                const value: unknown = JSON.parse(text);
                return Array.isArray(value)
                    ? { ok: true, value }
                    : {
                          ok: false,
                          message: "must be a list (set it with pulumi config set --path 'key[0]' value)",
                      };
            } catch {
                return {
                    ok: false,
                    message: "must be a list (set it with pulumi config set --path 'key[0]' value)",
                };
            }
        }
        default:
            return { ok: true, value: text };
    }
}
