import { parseContainerInspect } from "../../../lib/status/containerInspect";
import { parseDockerStats } from "../../../lib/status/dockerStats";
import { parseVolumeSizes } from "../../../lib/status/volumeSizes";

/** `docker inspect` of a tenant gateway, cut to the fields read and a few it ignores. */
function inspected(overrides: { name: string; state: Record<string, unknown>; restarts?: number }) {
    return {
        Id: `${overrides.name}-id`,
        Created: "2026-11-28T14:00:00Z",
        Name: `/zc-${overrides.name}`,
        RestartCount: overrides.restarts ?? 0,
        Config: {
            Image: "sha256:abc",
            Labels: { "com.zeptoclaw.tenant": overrides.name, "com.zeptoclaw.role": "gateway" },
        },
        State: {
            Running: overrides.state.Status === "running",
            Pid: 1,
            StartedAt: "2026-11-28T14:00:01.123456789Z",
            ...overrides.state,
        },
        HostConfig: { Memory: 268435456, NanoCpus: 500000000, MemorySwap: 268435456 },
        Mounts: [
            { Type: "bind", Source: "/srv/zc/a/config.json", Destination: "/data/.zeptoclaw/config.json" },
            { Type: "volume", Name: `${overrides.name}-data`, Destination: "/data", Driver: "local" },
        ],
    };
}

describe("parseContainerInspect", () => {
    test("reads state, health, restarts, limits and the data volume of each container", () => {
        const json = JSON.stringify([
            inspected({
                name: "shop-a",
                state: { Status: "running", Health: { Status: "healthy", Log: [] } },
            }),
            inspected({ name: "shop-b", state: { Status: "exited", ExitCode: 137 }, restarts: 3 }),
        ]);
        expect(parseContainerInspect(json)).toEqual([
            {
                id: "shop-a-id",
                name: "zc-shop-a",
                tenant: "shop-a",
                state: "running",
                health: "healthy",
                restartCount: 0,
                memoryLimit: 268435456,
                nanoCpus: 500000000,
                dataVolume: "shop-a-data",
            },
            {
                id: "shop-b-id",
                name: "zc-shop-b",
                tenant: "shop-b",
                state: "exited",
                health: "none",
                restartCount: 3,
                memoryLimit: 268435456,
                nanoCpus: 500000000,
                dataVolume: "shop-b-data",
            },
        ]);
    });

    test("reads the gateway's own figures from the newest probe of the container's current run", () => {
        const healthz = (requests: number) =>
            `{"status":"ok","version":"0.9.2","memory":{"rss_bytes":8404992,"rss_mb":8.0},"usage":{"requests":${requests},"tool_calls":3,"input_tokens":5400,"output_tokens":1200,"errors":1}}`;
        const [shop] = parseContainerInspect(
            JSON.stringify([
                inspected({
                    name: "shop-a",
                    state: {
                        Status: "running",
                        Health: {
                            Status: "healthy",
                            Log: [
                                // Before the restart at 14:00:01: counters of a run that is gone.
                                { End: "2026-11-28T14:00:00.5Z", ExitCode: 0, Output: healthz(99) },
                                {
                                    End: "2026-11-28T14:00:31.2Z",
                                    ExitCode: 0,
                                    Output: `${healthz(7)}{"status":"ready"}`,
                                },
                                { End: "2026-11-28T14:01:01.3Z", ExitCode: 1, Output: "" },
                            ],
                        },
                    },
                }),
            ]),
        );
        expect(shop.report).toEqual({
            rssBytes: 8404992,
            usage: { requests: 7, toolCalls: 3, inputTokens: 5400, outputTokens: 1200, errors: 1 },
            at: new Date("2026-11-28T14:00:31.2Z"),
        });
    });

    test("names the field that does not fit", () => {
        expect(() => parseContainerInspect(JSON.stringify([{ Id: "x", Name: "/x" }]))).toThrow(
            /docker inspect printed something unexpected at 0\.RestartCount/,
        );
    });
});

describe("parseDockerStats", () => {
    test("reads memory used and CPU percent per container, as named on the command line", () => {
        const text = [
            '{"BlockIO":"0B / 0B","CPUPerc":"0.30%","Container":"id-a","ID":"id-a","MemPerc":"7.11%","MemUsage":"18.2MiB / 256MiB","Name":"zc-a","NetIO":"1kB / 0B","PIDs":"3"}',
            '{"BlockIO":"0B / 0B","CPUPerc":"101.50%","Container":"id-b","ID":"id-b","MemPerc":"0.22%","MemUsage":"564KiB / 256MiB","Name":"zc-b","NetIO":"0B / 0B","PIDs":"1"}',
            '{"BlockIO":"--","CPUPerc":"--","Container":"id-c","ID":"","MemPerc":"--","MemUsage":"-- / --","Name":"--","NetIO":"--","PIDs":"--"}',
            "not json",
            "",
        ].join("\n");
        const usage = parseDockerStats(text);
        expect([...usage.keys()]).toEqual(["id-a", "id-b"]);
        expect(usage.get("id-a")).toEqual({ memoryUsed: Math.round(18.2 * 1024 * 1024), cpuPercent: 0.3 });
        expect(usage.get("id-b")).toEqual({ memoryUsed: 564 * 1024, cpuPercent: 101.5 });
    });
});

describe("parseVolumeSizes", () => {
    test("reads the size of each volume, leaving out those Docker could not measure", () => {
        const json = JSON.stringify([
            { Driver: "local", Links: "1", Name: "shop-a-data", Size: "12.3MB", Mountpoint: "/x" },
            { Driver: "local", Links: "0", Name: "shop-b-data", Size: "0B" },
            { Driver: "nfs", Links: "0", Name: "remote", Size: "N/A" },
        ]);
        expect(parseVolumeSizes(json)).toEqual(
            new Map([
                ["shop-a-data", 12_300_000],
                ["shop-b-data", 0],
            ]),
        );
        expect(() => parseVolumeSizes("null")).toThrow(/no list of volumes/);
    });
});
