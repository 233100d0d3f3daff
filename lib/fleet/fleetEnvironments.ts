import { parse } from "yaml";

/** A host stack of the project: one Pulumi.<stack>.yaml. */
export interface HostStack {
    stack: string;
    /** The stack's `zeptoclaw-fleet:environment`, or the stack's name when it sets none. */
    environment: string;
    /** The stack's `zeptoclaw-fleet:tenantsDir`: where its tenant files are; default `tenants`. */
    tenantsDir: string;
}

const environmentKey = "zeptoclaw-fleet:environment";
const tenantsDirKey = "zeptoclaw-fleet:tenantsDir";

/**
 * The environment a stack belongs to, from its Pulumi.<stack>.yaml: the same key the program
 * reads for the com.zeptoclaw.env label (lib/config/stackConfig.ts), so one setting says both.
 * A file that is not YAML, or whose key is not a string, is named in the error.
 */
export function stackEnvironment(stack: string, fileText: string): HostStack {
    let doc: unknown;
    try {
        doc = parse(fileText);
    } catch (err) {
        throw new Error(`Pulumi.${stack}.yaml is not valid YAML: ${(err as Error).message}`);
    }
    const config = (doc as { config?: Record<string, unknown> } | null)?.config ?? {};
    const text = (key: string, what: string): string | undefined => {
        const value = config[key];
        if (value !== undefined && typeof value !== "string") {
            throw new Error(`Pulumi.${stack}.yaml: ${key} must be a string (${what})`);
        }
        return value === "" ? undefined : value;
    };
    return {
        stack,
        environment: text(environmentKey, "the environment this host belongs to, e.g. prod") ?? stack,
        tenantsDir: text(tenantsDirKey, "the folder of tenant files, relative to the project") ?? "tenants",
    };
}

/** The host stacks of `environment`, by name; refused with the environments there are when none. */
export function environmentStacks(hosts: ReadonlyArray<HostStack>, environment: string): string[] {
    const stacks = hosts
        .filter((h) => h.environment === environment)
        .map((h) => h.stack)
        .sort();
    if (stacks.length === 0) {
        const known = [...new Set(hosts.map((h) => h.environment))].sort();
        throw new Error(
            `no stack belongs to environment "${environment}" (known environments: ${known.join(", ") || "none"}); ` +
                `a host stack joins one with ${environmentKey}: ${environment} in its Pulumi.<stack>.yaml`,
        );
    }
    return stacks;
}
