import * as semver from "semver";

/** Which Pulumi CLI the fleet command drives. */
export type CliChoice =
    /** The `pulumi` on PATH. */
    | { kind: "installed"; version: string }
    /** The pinned version, in its own folder, installed there by the Automation API if absent. */
    | { kind: "pinned"; version: string; reason: string };

/**
 * The CLI on PATH when it is the pinned version or newer within the same major version; else the
 * pinned one. The pinned version is the Automation API's own (@pulumi/pulumi's version), what
 * `PulumiCommand.install` installs by default; the Automation API refuses another major version,
 * and changes how it reads engine events with the CLI's version (stack.js `setupEventLog`), so an
 * older CLI is not driven. `installed` is what `pulumi version` printed, undefined when there is
 * no `pulumi` on PATH.
 */
export function chooseCli(installed: string | undefined, pinned: string): CliChoice {
    if (installed === undefined) {
        return { kind: "pinned", version: pinned, reason: "no pulumi on PATH" };
    }
    const version = semver.parse(installed.trim().replace(/^v/, ""));
    if (version === null) {
        return {
            kind: "pinned",
            version: pinned,
            reason: `pulumi on PATH printed "${installed.trim()}" as its version`,
        };
    }
    if (version.major !== semver.major(pinned) || semver.lt(version, pinned)) {
        return {
            kind: "pinned",
            version: pinned,
            reason: `pulumi on PATH is ${version.version}, this project drives ${pinned} or a newer ${semver.major(pinned)}.x`,
        };
    }
    return { kind: "installed", version: version.version };
}
