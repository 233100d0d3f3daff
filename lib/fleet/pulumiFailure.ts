/**
 * What a failed Pulumi operation said last, on one line: the Automation API's error carries the
 * command's whole output (`code:`, `stdout:`, `stderr:` sections), of which an operator reading
 * one line per host needs the final error lines.
 */
export function pulumiFailure(message: string): string {
    const lines = message
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "" && !/^(code|stdout|stderr|err\?):/.test(l));
    const errors = lines.filter((l) => /error/i.test(l));
    return (errors.length > 0 ? errors : lines).slice(-2).join(" ").slice(0, 300) || "failed";
}
