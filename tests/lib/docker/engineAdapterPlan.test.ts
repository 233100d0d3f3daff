import {
    InspectedContainer,
    checkNested,
    containerDeclared,
    containerReadBack,
    goDuration,
    planResource,
    volumeReadBack,
} from "../../engine/support/providerPlan";
import { containerRules, volumeRules } from "../../engine/support/providerSchema";

const noOptions = { ignoreChanges: [], replaceOnChanges: [] };

/** A gateway-like container's inputs, as the program declares them. */
function declaredInputs(changes: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: "zc-shop-a",
        image: "sha256:abc",
        entrypoints: ["/bin/sh", "-c", "exec zeptoclaw"],
        command: ["zeptoclaw", "gateway"],
        user: "0:0",
        restart: "unless-stopped",
        init: true,
        readOnly: true,
        mounts: [{ type: "volume", source: "shop-a-data", target: "/data" }],
        tmpfs: { "/tmp": "rw,size=64m" },
        healthcheck: {
            tests: ["CMD", "true"],
            interval: "30s",
            timeout: "5s",
            retries: 3,
            startPeriod: "10s",
        },
        logDriver: "json-file",
        logOpts: { "max-size": "10m" },
        memory: 128,
        memoryReservation: 32,
        memorySwap: 128,
        cpus: "1.0",
        cpuShares: 51,
        ulimits: [{ name: "nproc", soft: 256, hard: 256 }],
        capabilities: { drops: ["ALL"], adds: ["SETUID", "CHOWN"] },
        securityOpts: ["no-new-privileges:true"],
        networksAdvanced: [{ name: "zc-tenants" }],
        labels: [{ label: "com.zeptoclaw.tenant", value: "shop-a" }],
        envs: ["HOME=/data"],
        wait: true,
        waitTimeout: 120,
        destroyGraceSeconds: 10,
        stopTimeout: 10,
        stopSignal: "SIGINT",
        ...changes,
    };
}

/** What the engine reports for the container `declaredInputs()` created. */
function inspected(
    changes: Partial<InspectedContainer["HostConfig"]> = {},
    running = true,
): InspectedContainer {
    const mib = 1024 * 1024;
    return {
        Name: "/zc-shop-a",
        State: { Running: running },
        Config: {
            Cmd: ["zeptoclaw", "gateway"],
            Entrypoint: ["/bin/sh", "-c", "exec zeptoclaw"],
            User: "0:0",
            StopSignal: "SIGINT",
            StopTimeout: 10,
            Healthcheck: {
                Test: ["CMD", "true"],
                Interval: 30e9,
                Timeout: 5e9,
                StartPeriod: 10e9,
                Retries: 3,
            },
        },
        HostConfig: {
            ReadonlyRootfs: true,
            RestartPolicy: { Name: "unless-stopped" },
            Init: true,
            CapAdd: ["CHOWN", "SETUID"],
            CapDrop: ["ALL"],
            Mounts: [{ Type: "volume", Source: "shop-a-data", Target: "/data" }],
            Tmpfs: { "/tmp": "rw,size=64m" },
            Ulimits: [{ Name: "nproc", Soft: 256, Hard: 256 }],
            Memory: 128 * mib,
            MemoryReservation: 32 * mib,
            MemorySwap: 128 * mib,
            NanoCpus: 1e9,
            CpuShares: 51,
            LogConfig: { Type: "json-file", Config: { "max-size": "10m" } },
            NetworkMode: "bridge",
            SecurityOpt: ["no-new-privileges:true"],
            ...changes,
        },
    };
}

function stateAfterCreate(inputs = declaredInputs(), info = inspected()): Record<string, unknown> {
    return containerReadBack(containerDeclared(inputs), info);
}

function planContainer(
    state: Record<string, unknown>,
    inputs: Record<string, unknown>,
    options: { ignoreChanges: string[]; replaceOnChanges: string[] } = noOptions,
) {
    return planResource(containerRules, state, containerDeclared(inputs), options);
}

describe("the engine adapter plans a container as the provider does", () => {
    test("no state: create", () => {
        expect(planResource(containerRules, undefined, declaredInputs(), noOptions).action).toBe("create");
    });

    test("nothing changed, read back from the engine: nothing to do", () => {
        expect(planContainer(stateAfterCreate(), declaredInputs())).toEqual({
            action: "same",
            fields: [],
            engineUpdate: false,
        });
    });

    test("no mounts declared and none read back: nothing to do (an empty set is no set)", () => {
        const inputs = declaredInputs({ mounts: undefined, tmpfs: undefined });
        const state = stateAfterCreate(inputs, inspected({ Mounts: [], Tmpfs: {} }));
        expect(planContainer(state, inputs).action).toBe("same");
    });

    test("a set read back in another order is the same set", () => {
        const mounts = [
            { type: "volume", source: "shop-a-data", target: "/data" },
            { type: "bind", source: "/dev/null", target: "/data/.mcp.json", readOnly: true },
        ];
        const inputs = declaredInputs({ mounts });
        const state = stateAfterCreate(
            inputs,
            inspected({
                Mounts: [
                    { Type: "bind", Source: "/dev/null", Target: "/data/.mcp.json", ReadOnly: true },
                    { Type: "volume", Source: "shop-a-data", Target: "/data" },
                ],
            }),
        );
        expect(planContainer(state, inputs).action).toBe("same");
    });

    test("no user declared reads back as the image's empty user: nothing to do", () => {
        const inputs = declaredInputs({ user: undefined });
        const info = inspected();
        info.Config.User = "";
        expect(planContainer(stateAfterCreate(inputs, info), inputs).action).toBe("same");
    });

    test('cpus "1" reads back as "1.0": a replacement on every up', () => {
        const inputs = declaredInputs({ cpus: "1" });
        expect(planContainer(stateAfterCreate(inputs), inputs)).toMatchObject({
            action: "replace",
            fields: ["cpus"],
        });
    });

    test("cpus 0.05 reads back as 0.1: a replacement on every up", () => {
        const inputs = declaredInputs({ cpus: "0.05" });
        const state = stateAfterCreate(inputs, inspected({ NanoCpus: 5e7 }));
        expect(state.cpus).toBe("0.1");
        expect(planContainer(state, inputs).action).toBe("replace");
    });

    test.each([
        ["memory", 256],
        ["memoryReservation", 64],
        ["memorySwap", 256],
        ["cpuShares", 102],
        ["restart", "always"],
    ])("%s is updated in place through the engine", (field, value) => {
        expect(planContainer(stateAfterCreate(), declaredInputs({ [field]: value }))).toEqual({
            action: "update",
            fields: [field],
            engineUpdate: true,
        });
    });

    test.each([
        ["wait", false],
        ["waitTimeout", 30],
        ["destroyGraceSeconds", 5],
        ["mustRun", false],
        ["init", false],
        ["tmpfs", { "/tmp": "rw,size=32m" }],
        ["healthcheck", { tests: ["CMD", "true"], interval: "10s" }],
    ])("%s only changes the state", (field, value) => {
        expect(planContainer(stateAfterCreate(), declaredInputs({ [field]: value }))).toEqual({
            action: "update",
            fields: [field],
            engineUpdate: false,
        });
    });

    test("tmpfs and healthcheck replace when the program names them in replaceOnChanges", () => {
        const options = { ignoreChanges: [], replaceOnChanges: ["healthcheck", "tmpfs"] };
        expect(planContainer(stateAfterCreate(), declaredInputs({ tmpfs: {} }), options).action).toBe(
            "replace",
        );
    });

    test.each([
        ["image", "sha256:def"],
        ["envs", ["HOME=/tmp"]],
        ["labels", []],
        ["user", "1000"],
        ["capabilities", { drops: ["ALL"] }],
        ["ulimits", []],
        ["mounts", []],
    ])("%s forces a new container", (field, value) => {
        expect(planContainer(stateAfterCreate(), declaredInputs({ [field]: value })).action).toBe("replace");
    });

    test("a healthcheck interval of 1m reads back as 1m0s: with replaceOnChanges, a replacement on every up", () => {
        const inputs = declaredInputs({
            healthcheck: {
                tests: ["CMD", "true"],
                interval: "1m",
                timeout: "5s",
                retries: 3,
                startPeriod: "10s",
            },
        });
        const info = inspected();
        info.Config.Healthcheck = { ...info.Config.Healthcheck, Interval: 60e9 };
        const options = { ignoreChanges: [], replaceOnChanges: ["healthcheck"] };
        expect(planContainer(stateAfterCreate(inputs, info), inputs, options).action).toBe("replace");
    });

    test("a stopped container that must run reads back must_run false: an update that starts it", () => {
        const state = stateAfterCreate(declaredInputs(), inspected({}, false));
        expect(planContainer(state, declaredInputs())).toMatchObject({
            action: "update",
            fields: ["mustRun"],
        });
    });

    test("an input the adapter does not know fails the plan", () => {
        expect(() => planContainer(stateAfterCreate(), declaredInputs({ privileged: true }))).toThrow(
            /does not map the input privileged/,
        );
    });
});

describe("volumes", () => {
    const declared = {
        name: "zeptoclaw_shop-a-data",
        labels: [{ label: "com.zeptoclaw.tenant", value: "shop-a" }],
    };
    const adopted = volumeReadBack(
        declared,
        {
            Name: "zeptoclaw_shop-a-data",
            Driver: "local",
            Labels: { "com.docker.compose.project": "zeptoclaw", "org.zeptoclaw-fleet.test": "run-1" },
        },
        "org.zeptoclaw-fleet.test",
    );

    test("an adopted compose volume reads back with its own labels: a replacement on every up", () => {
        expect(planResource(volumeRules, adopted, declared, noOptions)).toMatchObject({
            action: "replace",
            fields: ["labels"],
        });
    });

    test("with ignoreChanges on labels, nothing to do", () => {
        expect(
            planResource(volumeRules, adopted, declared, { ignoreChanges: ["labels"], replaceOnChanges: [] })
                .action,
        ).toBe("same");
    });
});

describe("nested inputs are mapped or refused", () => {
    test.each([
        ["container", { healthcheck: { tests: ["CMD", "true"], startInterval: "1s" } }],
        [
            "container",
            {
                mounts: [
                    { type: "bind", source: "/a", target: "/b", bindOptions: { propagation: "rprivate" } },
                ],
            },
        ],
        ["container", { networksAdvanced: [{ name: "n", aliases: ["a"], ipv4Address: "10.0.0.2" }] }],
        [
            "network",
            { ipamConfigs: [{ subnet: "10.0.0.0/24", gateway: "10.0.0.1", auxAddress: { a: "10.0.0.3" } }] },
        ],
    ])("%s %j is mapped", (kind, inputs) => {
        expect(() => checkNested(kind, inputs)).not.toThrow();
    });

    test.each([
        [
            "container",
            { healthcheck: { tests: ["CMD", "true"], startEvery: "1s" } },
            /healthcheck\.startEvery/,
        ],
        [
            "container",
            { mounts: [{ type: "volume", target: "/b", volumeOptions: { noCopy: true } }] },
            /mounts\.volumeOptions/,
        ],
        [
            "container",
            { networksAdvanced: [{ name: "n", driverOpts: ["a=b"] }] },
            /networksAdvanced\.driverOpts/,
        ],
        ["container", { uploads: [{ file: "/a", contentBase64: "YQ==" }] }, /uploads\.contentBase64/],
        ["network", { ipamConfigs: [{ subnet: "10.0.0.0/24", ipv6: true }] }, /ipamConfigs\.ipv6/],
    ])("%s %j fails", (kind, inputs, message) => {
        expect(() => checkNested(kind, inputs)).toThrow(message);
    });
});

test.each([
    [30e9, "30s"],
    [60e9, "1m0s"],
    [90e9, "1m30s"],
    [3600e9, "1h0m0s"],
    [5e8, "500ms"],
    [0, "0s"],
])("a Go duration of %d ns reads %s", (ns, text) => {
    expect(goDuration(ns)).toBe(text);
});
