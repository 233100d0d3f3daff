import { ProgramRun, runProgram } from "../support/runProgram";
import { secretsFor, tenantYaml } from "../support/tenantFiles";

/**
 * `count` idle stand-in tenants named `<prefix>-000`... on the dev stack, declared by the program
 * on a host large enough for all of them, their config files under `configRoot`.
 */
export async function idleFleet(
    prefix: string,
    count: number,
    configRoot: string,
): Promise<{ names: string[]; run: ProgramRun }> {
    const names = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, "0")}`);
    const run = await runProgram({
        tenantFiles: Object.fromEntries(names.map((n) => [`${n}.yaml`, tenantYaml(n, { stacks: ["dev"] })])),
        tenantSecrets: secretsFor(names),
        config: {
            hostMemoryMb: 65536,
            configRoot,
            imageSource: "build",
            imageContext: "tests/fixtures/zeptoclaw-standin",
        },
    });
    return { names, run };
}
