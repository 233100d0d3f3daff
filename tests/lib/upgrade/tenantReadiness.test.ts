import { GatewayHealth, parseGatewayInspect, readinessOf } from "../../../lib/upgrade/tenantReadiness";
import { waitReady } from "../../../lib/upgrade/waitReady";

/** A container as `docker inspect` prints it, reduced to what is read. */
function inspected(name: string, version: string, state: string, health?: string, probes: string[] = []) {
    return {
        Name: `/${name}`,
        Config: { Labels: { "com.zeptoclaw.version": version, "com.zeptoclaw.tenant": name.slice(3) } },
        State: {
            Status: state,
            ExitCode: state === "exited" ? 1 : 0,
            ...(health === undefined
                ? {}
                : {
                      Health: {
                          Status: health,
                          FailingStreak: 3,
                          Log: probes.map((Output) => ({ ExitCode: Output === "" ? 4 : 1, Output })),
                      },
                  }),
        },
    };
}

const gateway = (overrides: Partial<GatewayHealth> = {}): GatewayHealth => ({
    container: "zc-shop-a",
    version: "0.9.3",
    state: "running",
    exitCode: 0,
    health: "healthy",
    ...overrides,
});

describe("readinessOf", () => {
    test("ready only when it runs the version, running and healthy", () => {
        expect(readinessOf(gateway(), "0.9.3")).toEqual({ kind: "ready" });
        expect(readinessOf(gateway({ health: "starting" }), "0.9.3")).toEqual({
            kind: "waiting",
            reason: "health starting",
        });
    });

    test("fails for good with the reason: missing, another version, stopped, unhealthy with its last probe", () => {
        expect(readinessOf(undefined, "0.9.3")).toEqual({
            kind: "failed",
            reason: "its container does not exist",
        });
        expect(readinessOf(gateway({ version: "0.9.2" }), "0.9.3")).toEqual({
            kind: "failed",
            reason: "its container runs 0.9.2, not 0.9.3",
        });
        expect(readinessOf(gateway({ state: "exited", exitCode: 1 }), "0.9.3")).toEqual({
            kind: "failed",
            reason: "its container is exited (exit code 1)",
        });
        expect(
            readinessOf(gateway({ health: "unhealthy", lastProbe: "last probe exit 8" }), "0.9.3"),
        ).toEqual({
            kind: "failed",
            reason: "unhealthy (last probe exit 8)",
        });
    });
});

describe("parseGatewayInspect", () => {
    test("reads the version label, the state and the last health probe, on one printable line", () => {
        const json = JSON.stringify([
            inspected("zc-shop-a", "0.9.3", "running", "unhealthy", [
                "first",
                "Connecting to 127.0.0.1:9090\nwget: server returned error: HTTP/1.1 503 Service Unavailable\n\u001b[31m",
            ]),
            inspected("zc-shop-b", "0.9.2", "exited"),
            inspected("zc-shop-c", "0.9.3", "running", "starting", [""]),
        ]);
        expect(parseGatewayInspect(json)).toEqual([
            {
                container: "zc-shop-a",
                version: "0.9.3",
                state: "running",
                exitCode: 0,
                health: "unhealthy",
                lastProbe:
                    "last probe exit 1: Connecting to 127.0.0.1:9090 / wget: server returned error: HTTP/1.1 503 Service Unavailable / ?[31m",
            },
            { container: "zc-shop-b", version: "0.9.2", state: "exited", exitCode: 1, health: "none" },
            // GNU wget -q prints nothing: its exit code tells (4: network failure).
            {
                container: "zc-shop-c",
                version: "0.9.3",
                state: "running",
                exitCode: 0,
                health: "starting",
                lastProbe: "last probe exit 4",
            },
        ]);
    });

    test("names the field that does not fit", () => {
        expect(() => parseGatewayInspect(JSON.stringify([{ Name: "/zc-a", Config: {}, State: {} }]))).toThrow(
            /docker inspect printed something unexpected at 0\.State\.Status/,
        );
    });
});

describe("waitReady", () => {
    /** A clock that moves only when the wait sleeps. */
    function clock() {
        let t = 0;
        return {
            now: () => t,
            sleep: (ms: number) => {
                t += ms;
                return Promise.resolve();
            },
        };
    }
    const containers = new Map([
        ["shop-a", "zc-shop-a"],
        ["shop-b", "zc-shop-b"],
    ]);

    test("polls until every tenant is ready or failed for good", async () => {
        const rounds: GatewayHealth[][] = [
            [gateway({ health: "starting" }), gateway({ container: "zc-shop-b", health: "starting" })],
            [gateway(), gateway({ container: "zc-shop-b", health: "starting" })],
            [
                gateway(),
                gateway({ container: "zc-shop-b", health: "unhealthy", lastProbe: "last probe exit 8" }),
            ],
        ];
        const inspect = jest.fn(() => Promise.resolve(rounds.shift()!));
        expect(await waitReady(containers, "0.9.3", { inspect, timeoutMs: 60_000, ...clock() })).toEqual([
            { tenant: "shop-a", ready: true },
            { tenant: "shop-b", ready: false, reason: "unhealthy (last probe exit 8)" },
        ]);
        expect(inspect).toHaveBeenCalledTimes(3);
        expect(inspect).toHaveBeenCalledWith(["zc-shop-a", "zc-shop-b"]);
    });

    test("a tenant still starting at the timeout fails with what it was waiting for", async () => {
        let calls = 0;
        const inspect = () => {
            // A wait that ignored its timeout would poll forever: fail it instead.
            if (++calls > 1000) {
                throw new Error("still polling past the timeout");
            }
            return Promise.resolve([gateway(), gateway({ container: "zc-shop-b", health: "starting" })]);
        };
        expect(await waitReady(containers, "0.9.3", { inspect, timeoutMs: 105_000, ...clock() })).toEqual([
            { tenant: "shop-a", ready: true },
            { tenant: "shop-b", ready: false, reason: "not ready after 105 s (health starting)" },
        ]);
    });

    test("a missing container fails at once; no tenants is ready at once", async () => {
        expect(
            await waitReady(containers, "0.9.3", {
                inspect: () => Promise.resolve([gateway()]),
                timeoutMs: 1,
                ...clock(),
            }),
        ).toEqual([
            { tenant: "shop-a", ready: true },
            { tenant: "shop-b", ready: false, reason: "its container does not exist" },
        ]);
        const inspect = jest.fn();
        expect(await waitReady(new Map(), "0.9.3", { inspect, timeoutMs: 1 })).toEqual([]);
        expect(inspect).not.toHaveBeenCalled();
    });
});
