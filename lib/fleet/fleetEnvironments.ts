import { HostStack } from "../project/hostStack";

const environmentKey = "zeptoclaw-fleet:environment";

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
