/** Where the tenant's data volume is mounted, and HOME of its process. */
export const dataDir = "/data";
/** The one file ZeptoClaw reads: `$HOME/.zeptoclaw/config.json`. */
export const configPathInContainer = `${dataDir}/.zeptoclaw/config.json`;
/** The seed's workspace; it lies on the data volume, so it survives container replacement. */
export const workspaceDir = `${dataDir}/workspace`;
