// `node -r ./bench/registerPulumiTsNode.js <program.ts>`: runs TypeScript as the Pulumi CLI does.
const path = require("node:path");
const { pulumiTsNodeOptions } = require("./pulumiTsNode");

require("ts-node").register(pulumiTsNodeOptions(path.join(__dirname, "..")));
