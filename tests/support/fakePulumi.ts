/**
 * The Pulumi CLI version the operator commands drive as installed: @pulumi/pulumi's own, which
 * the Automation API pins (lib/cli/pulumiCliChoice.ts). A fake CLI printing another would make
 * the driver install the pinned one, which needs the internet.
 */
export const pinnedPulumiVersion = (require("@pulumi/pulumi/package.json") as { version: string }).version;

/**
 * The first lines of a fake `pulumi` shell script: it answers `pulumi version` as the pinned
 * CLI, and leaves no trace of that in what the fake records.
 */
export const fakePulumiShellHeader = `#!/bin/sh\nif [ "$1" = version ]; then echo v${pinnedPulumiVersion}; exit 0; fi\n`;
