import { addressesPerNetwork, renderDaemonConfig } from "../../../lib/host/daemonConfig";

describe("daemon.json", () => {
    test("a network allocated from the fleet's address pool holds well over 1000 tenants", () => {
        const daemon = renderDaemonConfig() as { "default-address-pools": { base: string; size: number }[] };
        const [pool] = daemon["default-address-pools"];
        expect(addressesPerNetwork(pool.size)).toBeGreaterThanOrEqual(4000);
        // and the pool holds many networks besides it
        expect(2 ** (pool.size - Number(pool.base.split("/")[1]))).toBeGreaterThanOrEqual(64);
    });
});
