import * as docker from "@pulumi/docker";

/** Labels on fleet objects, for `docker ps --filter label=...` and for the status command. */
export const labelKeys = {
    tenant: "com.zeptoclaw.tenant",
    version: "com.zeptoclaw.version",
    env: "com.zeptoclaw.env",
    host: "com.zeptoclaw.host",
    role: "com.zeptoclaw.role",
    configSha256: "com.zeptoclaw.config-sha256",
    /** The gateway's PidsLimit, which the host sets (lib/host/pidsLimit.ts). */
    pidsLimit: "com.zeptoclaw.pids-limit",
} as const;

/** Docker provider label blocks, sorted so that the same labels always give the same inputs. */
export function toLabels(labels: Record<string, string>): docker.types.input.ContainerLabel[] {
    return Object.entries(labels)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([label, value]) => ({ label, value }));
}
