/** The program's config namespace: its keys in Pulumi.<stack>.yaml are `zeptoclaw-fleet:<key>`. */
export const configNamespace = "zeptoclaw-fleet";

/** Where a stack config key is, as errors name it: `Pulumi.prod.yaml: zeptoclaw-fleet:serverType`. */
export function configLocation(stack: string, key: string): string {
    return `Pulumi.${stack}.yaml: ${configNamespace}:${key}`;
}
