/**
 * The programs the unit tests run besides node, sh and bash, each with the Debian (and Ubuntu)
 * package that provides it: what every place that runs the unit tests must install.
 */
export const unitTestTools: Readonly<Record<string, string>> = {
    shellcheck: "shellcheck",
    "cloud-init": "cloud-init",
    ssh: "openssh-client",
    git: "git",
    caddy: "caddy",
    // The host's backup tool takes a tenant's lock with it.
    flock: "util-linux",
};

/** What every machine that runs the tests has without installing anything. */
export const baseCommands: readonly string[] = ["sh", "bash"];
