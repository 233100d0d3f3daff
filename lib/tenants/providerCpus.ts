/**
 * `cpus` as the Docker provider stores it. The provider parses the declared string into
 * HostConfig.NanoCpus (docker/cli opts.ParseCPUs, a big.Rat times 1e9) and reads it back with
 * `nanoInt64ToDecimalString` (terraform-provider-docker v4.5.0, internal/provider/helpers.go,
 * called from resourceDockerContainerRead in resource_docker_container_funcs.go): nine decimals,
 * then, when that text holds exactly nine "0" characters, one decimal (rounded half away from
 * zero), else the trailing zeros trimmed. So 1 reads back as "1.0", 10 as "10.", 0.05 as "0.1".
 * `cpus` forces a new container (resource_docker_container.go), so a declared text that differs
 * from this one replaces the container on every `pulumi up`.
 */
export function cpusReadBack(nanoCpus: number): string {
    if (nanoCpus === 0) {
        return "0";
    }
    const whole = Math.floor(nanoCpus / 1e9);
    const nine = `${whole}.${String(nanoCpus % 1e9).padStart(9, "0")}`;
    if ([...nine].filter((c) => c === "0").length === 9) {
        const tenths = Math.round(nanoCpus / 1e8);
        return `${Math.floor(tenths / 10)}.${tenths % 10}`;
    }
    return nine.replace(/0+$/, "");
}

/** NanoCpus for a number of CPUs, as opts.ParseCPUs computes it from its decimal text. */
export function nanoCpus(cpus: number): number {
    return Math.round(cpus * 1e9);
}

/** The text to declare for `cpus`: what the provider reads back, so a plan finds nothing to change. */
export function declaredCpus(cpus: number): string {
    return cpusReadBack(nanoCpus(cpus));
}

/**
 * Whether `cpus` survives the provider's read-back: its read-back text means the same NanoCpus.
 * 0.01 to 0.09 do not (they read back as "0.0" or "0.1"), nor do values like 10.05 ("10.1").
 */
export function cpusSurviveReadBack(cpus: number): boolean {
    return nanoCpus(Number(declaredCpus(cpus))) === nanoCpus(cpus);
}
