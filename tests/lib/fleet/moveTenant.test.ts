import { MoveFacts, MovePlan, moveFailure, planMove } from "../../../lib/fleet/moveTenant";
import { MoveEffects, MoveProgress, Outcome, abortMove, runMove } from "../../../lib/fleet/runMove";

const hosts = [
    { stack: "dev", environment: "dev", tenantsDir: "tenants" },
    { stack: "prod-a", environment: "prod", tenantsDir: "tenants" },
    { stack: "prod-b", environment: "prod", tenantsDir: "tenants" },
];

function facts(overrides: Partial<MoveFacts> = {}): MoveFacts {
    return {
        tenant: "shop-a",
        target: "prod-b",
        hosts,
        file: { path: "tenants/shop-a.yaml", stacks: ["dev", "prod-a"] },
        secrets: ["anthropicApiKey", "telegramBotToken"],
        container: "zc-shop-a",
        volume: "shop-a-data",
        ...overrides,
    };
}

function plan(overrides: Partial<MoveFacts> = {}): MovePlan {
    const planned = planMove(facts(overrides));
    if (!planned.ok) {
        throw new Error(planned.message);
    }
    return planned.plan;
}

describe("planMove", () => {
    test("secrets, placement and the target's preview while the tenant runs; stop before the copy; the source's up after the tenant is back", () => {
        const p = plan();
        expect(p).toMatchObject({ source: "prod-a", target: "prod-b", environment: "prod" });
        expect(p.steps).toEqual([
            {
                kind: "copy secrets",
                from: "prod-a",
                to: "prod-b",
                names: ["anthropicApiKey", "telegramBotToken"],
            },
            // Only the source entry changes, in place; another environment's stack stays.
            { kind: "place", file: "tenants/shop-a.yaml", stacks: ["dev", "prod-b"] },
            { kind: "preview", stack: "prod-b" },
            {
                kind: "check engines",
                from: "prod-a",
                to: "prod-b",
                container: "zc-shop-a",
                volume: "shop-a-data",
            },
            { kind: "stop", stack: "prod-a", container: "zc-shop-a" },
            { kind: "copy data", from: "prod-a", to: "prod-b", volume: "shop-a-data" },
            { kind: "up", stack: "prod-b" },
            { kind: "ready", stack: "prod-b", container: "zc-shop-a" },
            { kind: "up", stack: "prod-a" },
        ]);
    });

    test("refuses an unknown target, an unknown tenant, a tenant already there, on no host or two of the environment", () => {
        const refused = (overrides: Partial<MoveFacts>) => {
            const result = planMove(facts(overrides));
            return result.ok ? "planned" : result.message;
        };
        expect(refused({ target: "prod-c" })).toBe(
            '"prod-c" is not a host stack of this project (stacks: dev, prod-a, prod-b)',
        );
        expect(refused({ file: undefined })).toBe('no tenant "shop-a" in the tenant files');
        expect(refused({ target: "prod-a" })).toBe(
            "shop-a is already on prod-a (tenants/shop-a.yaml: stacks)",
        );
        // The environment is the target's: dev is another one.
        expect(refused({ file: { path: "tenants/shop-a.yaml", stacks: ["dev"] } })).toMatch(
            /^shop-a is on no host of environment "prod" \(tenants\/shop-a\.yaml lists dev\): there is nothing to move to prod-b/,
        );
        expect(
            refused({
                hosts: [...hosts, { stack: "prod-c", environment: "prod", tenantsDir: "tenants" }],
                target: "prod-c",
                file: { path: "tenants/shop-a.yaml", stacks: ["prod-a", "prod-b"] },
            }),
        ).toMatch(/places shop-a on prod-a and prod-b, more than one host of "prod"/);
    });
});

describe("moveFailure", () => {
    const p = plan();
    const at = (kind: string, stack?: string) =>
        p.steps.findIndex(
            (s) => s.kind === kind && (stack === undefined || ("stack" in s && s.stack === stack)),
        );

    test("before the stop: the file and the target's secrets are put back, nothing else", () => {
        expect(moveFailure(p, at("preview"), "capacity").undo).toEqual([
            { kind: "restore file", file: "tenants/shop-a.yaml" },
            { kind: "remove secrets", stack: "prod-b", tenant: "shop-a" },
        ]);
    });

    test("in the copy: the copy goes, the source starts again, file and secrets back", () => {
        const failure = moveFailure(p, at("copy data"), "broken pipe");
        expect(failure.undo).toEqual([
            { kind: "remove volume", stack: "prod-b", volume: "shop-a-data" },
            { kind: "start", stack: "prod-a", container: "zc-shop-a" },
            { kind: "restore file", file: "tenants/shop-a.yaml" },
            { kind: "remove secrets", stack: "prod-b", tenant: "shop-a" },
        ]);
        expect(failure.lines).toEqual([
            "copying the volume shop-a-data from prod-a to prod-b failed: broken pipe",
            "nothing was moved: shop-a stays on prod-a (started again); its volume shop-a-data there was not changed",
        ]);
    });

    test("after the placement took effect nothing is undone; the state and the way back are said", () => {
        for (const failed of [at("up", "prod-b"), at("ready")]) {
            const target = moveFailure(p, failed, "unhealthy");
            expect(target.undo).toEqual([]);
            expect(target.lines[1]).toBe(
                "tenants/shop-a.yaml places shop-a on prod-b, where it is not ready; on prod-a its container is stopped, not removed, and its volume shop-a-data is unchanged",
            );
            expect(target.lines[3]).toBe(
                "to go back to prod-a: git checkout -- tenants/shop-a.yaml; pulumi up --refresh -s prod-b (removes the container there, if any); " +
                    "then start it on prod-a: docker start zc-shop-a (with DOCKER_HOST set to prod-a's dockerHost output)",
            );
        }
        const source = moveFailure(p, at("up", "prod-a"), "ssh refused");
        expect(source.undo).toEqual([]);
        expect(source.lines).toEqual([
            "pulumi up -s prod-a failed: ssh refused",
            "shop-a runs on prod-b, healthy, on its copied data; prod-a still has its stopped container, and its volume shop-a-data unchanged",
            "to finish the move: fix the cause, then run npm run fleet -- move shop-a prod-b again (its pulumi up -s prod-a removes the stopped container; the volume stays)",
        ]);
    });
});

/**
 * Fake effects recording each call in order; `fail` makes the named call fail. The clock moves
 * 1 s per call, so the printed durations are the fakes' counts, not wall time.
 */
function fakes(fail: string[] = [], state: { volumes?: Record<string, string[]> } = {}) {
    const calls: string[] = [];
    /** Every progress the move recorded, in order, and whether it said it was over. */
    const recorded: MoveProgress[] = [];
    let finished = false;
    const files: Record<string, string> = {
        "tenants/shop-a.yaml": "name: shop-a # kept\nstacks: [dev, prod-a]\n",
    };
    const volumes = state.volumes ?? { "prod-a": ["shop-a-data"], "prod-b": [] };
    let clock = 0;
    const call = (text: string) => {
        calls.push(text);
        clock += 1000;
        if (fail.some((f) => text.startsWith(f))) {
            throw new Error(`fake failure of ${text}`);
        }
    };
    const outcome = (text: string): Outcome => {
        try {
            call(text);
            return { ok: true };
        } catch (err) {
            return { ok: false, reason: (err as Error).message };
        }
    };
    const later = <T>(f: () => T): Promise<T> => Promise.resolve().then(f);
    const effects: MoveEffects = {
        readSecret: (stack, tenant, name) =>
            later(() => (call(`read ${stack} ${tenant}.${name}`), `value-${name}`)),
        writeSecret: (stack, tenant, name, value) =>
            later(() => call(`write ${stack} ${tenant}.${name}=${value}`)),
        removeSecrets: (stack, tenant) => later(() => call(`remove secrets ${stack} ${tenant}`)),
        readFile: (file) => files[file],
        writeFile: (file, text) => {
            call(`write file ${file}`);
            files[file] = text;
        },
        preview: (stack) => later(() => outcome(`preview ${stack}`)),
        up: (stack) => later(() => outcome(`up ${stack}`)),
        containerState: (stack, container) => later(() => (call(`state ${stack} ${container}`), "running")),
        volumeExists: (stack, volume) =>
            later(() => (call(`volume? ${stack} ${volume}`), volumes[stack].includes(volume))),
        stop: (stack, container) => later(() => call(`stop ${stack} ${container}`)),
        start: (stack, container) => later(() => call(`start ${stack} ${container}`)),
        // The copy's volume is there as soon as it begins, whole or not.
        copyVolume: (from, to, volume) =>
            later(() => {
                volumes[to].push(volume);
                call(`copy ${from} ${to} ${volume}`);
            }),
        removeVolume: (stack, volume) =>
            later(() => {
                call(`remove volume ${stack} ${volume}`);
                volumes[stack] = volumes[stack].filter((v) => v !== volume);
            }),
        waitReady: (stack, container) => later(() => outcome(`ready ${stack} ${container}`)),
        now: () => clock,
        record: (progress) => recorded.push(structuredClone(progress)),
        finish: () => {
            finished = true;
        },
    };
    const lines: string[] = [];
    return {
        calls,
        files,
        volumes,
        effects,
        lines,
        recorded,
        finished: () => finished,
        print: (l: string) => lines.push(l),
    };
}

describe("runMove", () => {
    test("runs the steps in order and prints the copy time and the downtime", async () => {
        const f = fakes();
        expect(await runMove(plan(), f.effects, f.print)).toBe(0);
        expect(f.calls).toEqual([
            "read prod-a shop-a.anthropicApiKey",
            "write prod-b shop-a.anthropicApiKey=value-anthropicApiKey",
            "read prod-a shop-a.telegramBotToken",
            "write prod-b shop-a.telegramBotToken=value-telegramBotToken",
            "write file tenants/shop-a.yaml",
            "preview prod-b",
            "state prod-a zc-shop-a",
            "volume? prod-a shop-a-data",
            "volume? prod-b shop-a-data",
            "stop prod-a zc-shop-a",
            "copy prod-a prod-b shop-a-data",
            "up prod-b",
            "ready prod-b zc-shop-a",
            "up prod-a",
        ]);
        expect(f.files["tenants/shop-a.yaml"]).toBe("name: shop-a # kept\nstacks: [dev, prod-b]\n");
        expect(f.lines).toContain("copied shop-a-data in 1.0 s");
        // From the stop's return to the ready check's: copy, the target's up, ready; not the source's up.
        expect(f.lines).toContain("shop-a runs on prod-b, healthy; it was down 3.0 s");
        expect(f.lines.join("\n")).toMatch(
            /its old volume shop-a-data stays on prod-a until you delete it there: docker volume rm shop-a-data/,
        );
    });

    test("a failed copy removes the copy, starts the source again, restores the file and exits 1", async () => {
        const f = fakes(["copy"]);
        expect(await runMove(plan(), f.effects, f.print)).toBe(1);
        expect(f.calls.slice(f.calls.indexOf("stop prod-a zc-shop-a"))).toEqual([
            "stop prod-a zc-shop-a",
            "copy prod-a prod-b shop-a-data",
            "volume? prod-b shop-a-data",
            "remove volume prod-b shop-a-data",
            "start prod-a zc-shop-a",
            "write file tenants/shop-a.yaml",
            "remove secrets prod-b shop-a",
        ]);
        expect(f.files["tenants/shop-a.yaml"]).toBe("name: shop-a # kept\nstacks: [dev, prod-a]\n");
        expect(f.calls.some((c) => c.startsWith("up"))).toBe(false);
    });

    test("a target that already has the volume is refused before the tenant stops", async () => {
        const f = fakes([], { volumes: { "prod-a": ["shop-a-data"], "prod-b": ["shop-a-data"] } });
        expect(await runMove(plan(), f.effects, f.print)).toBe(1);
        expect(
            f.calls.some(
                (c) => c.startsWith("stop") || c.startsWith("start") || c.startsWith("remove volume"),
            ),
        ).toBe(false);
        expect(f.lines.join("\n")).toMatch(/prod-b already has a volume shop-a-data/);
        expect(f.files["tenants/shop-a.yaml"]).toMatch(/prod-a/);
    });

    test("a refused preview changes nothing that runs", async () => {
        const f = fakes(["preview"]);
        expect(await runMove(plan(), f.effects, f.print)).toBe(1);
        expect(f.calls.slice(f.calls.indexOf("preview prod-b"))).toEqual([
            "preview prod-b",
            "write file tenants/shop-a.yaml",
            "remove secrets prod-b shop-a",
        ]);
    });

    test("a failed target up leaves everything as it is and says so", async () => {
        const f = fakes(["up prod-b"]);
        expect(await runMove(plan(), f.effects, f.print)).toBe(1);
        expect(f.calls[f.calls.length - 1]).toBe("up prod-b");
        expect(f.files["tenants/shop-a.yaml"]).toMatch(/prod-b/);
        expect(f.lines.join("\n")).toMatch(/to go back to prod-a:/);
    });

    test("a failed source up after the tenant is back says the move is done but for the stopped container", async () => {
        const f = fakes(["up prod-a"]);
        expect(await runMove(plan(), f.effects, f.print)).toBe(1);
        expect(f.calls.slice(-3)).toEqual(["up prod-b", "ready prod-b zc-shop-a", "up prod-a"]);
        expect(f.calls.some((c) => c.startsWith("start") || c.startsWith("remove"))).toBe(false);
        expect(f.lines.join("\n")).toMatch(/shop-a runs on prod-b, healthy.*\n.*pulumi up -s prod-a/);
    });
});

describe("a move killed between two steps", () => {
    const steps = plan().steps.length;

    /** The progress a run leaves when killed once `done` steps are done, and maybe the next begun. */
    async function killedAfter(done: number, begun: boolean) {
        if (done === 0 && !begun) {
            // Killed before its first record: its journal holds the progress it was made with.
            return { done: 0, begun: false };
        }
        const first = fakes();
        await runMove(plan(), first.effects, first.print);
        const progress = [...first.recorded].reverse().find((p) => p.done === done && p.begun === begun)!;
        expect(progress).toBeDefined();
        return progress;
    }

    test("records its progress before and after every step, and the file it replaces before replacing it", async () => {
        const f = fakes();
        expect(await runMove(plan(), f.effects, f.print)).toBe(0);
        expect(f.recorded.map((p) => `${p.done}${p.begun ? "+" : ""}`)).toEqual(
            Array.from({ length: steps }, (_, i) => [`${i}+`, ...(i === 1 ? ["1+"] : []), `${i + 1}`]).flat(),
        );
        // The original is kept in a record made before the file is written.
        const order: string[] = [];
        const g = fakes();
        const effects: MoveEffects = {
            ...g.effects,
            record: (p) => order.push(p.originalFile === undefined ? "record" : "record with original"),
            writeFile: (file, text) => {
                order.push("write");
                g.effects.writeFile(file, text);
            },
        };
        await runMove(plan(), effects, g.print);
        expect(order.indexOf("record with original")).toBeLessThan(order.indexOf("write"));
        expect(order.indexOf("record with original")).toBeGreaterThanOrEqual(0);
        expect(f.recorded[3]).toMatchObject({
            done: 1,
            begun: true,
            originalFile: "name: shop-a # kept\nstacks: [dev, prod-a]\n",
        });
        expect(f.finished()).toBe(true);
    });

    test.each(Array.from({ length: steps }, (_, done) => done))(
        "after %i steps, a second run goes on from there and finishes the move",
        async (done) => {
            const progress = await killedAfter(done, false);
            // What the killed run left: the file as it wrote it, the copy if it made one.
            const f = fakes();
            if (done >= 2) {
                f.files["tenants/shop-a.yaml"] = "name: shop-a # kept\nstacks: [dev, prod-b]\n";
            }
            if (done >= 6) {
                f.volumes["prod-b"].push("shop-a-data");
            }
            expect(await runMove(plan(), f.effects, f.print, progress)).toBe(0);
            expect(f.finished()).toBe(true);
            expect(f.files["tenants/shop-a.yaml"]).toBe("name: shop-a # kept\nstacks: [dev, prod-b]\n");
            expect(f.lines).toContain(`taking up where a run was stopped: ${done} of ${steps} steps done`);
            // Only the steps left ran, the source's up last of all.
            expect(f.calls[f.calls.length - 1]).toBe("up prod-a");
            expect(f.calls.includes("ready prod-b zc-shop-a")).toBe(done < 8);
            expect(f.calls.filter((c) => c.startsWith("stop")).length).toBe(done <= 4 ? 1 : 0);
        },
    );

    test("a copy the killed run began is removed, then made again", async () => {
        const progress = await killedAfter(5, true);
        const f = fakes();
        f.volumes["prod-b"].push("shop-a-data");
        expect(await runMove(plan(), f.effects, f.print, progress)).toBe(0);
        expect(f.calls.slice(0, 3)).toEqual([
            "volume? prod-b shop-a-data",
            "remove volume prod-b shop-a-data",
            "copy prod-a prod-b shop-a-data",
        ]);
        expect(f.lines).toContain("removing the copy the stopped run began on prod-b");
    });

    test("--abort before the target's up undoes what was done: copy removed, source started, file and secrets back", async () => {
        const progress = await killedAfter(6, false);
        const f = fakes();
        f.volumes["prod-b"].push("shop-a-data");
        f.files["tenants/shop-a.yaml"] = "name: shop-a # kept\nstacks: [dev, prod-b]\n";
        expect(await abortMove(plan(), f.effects, f.print, progress)).toBe(1);
        expect(f.calls).toEqual([
            "volume? prod-b shop-a-data",
            "remove volume prod-b shop-a-data",
            "start prod-a zc-shop-a",
            "write file tenants/shop-a.yaml",
            "remove secrets prod-b shop-a",
        ]);
        expect(f.files["tenants/shop-a.yaml"]).toBe("name: shop-a # kept\nstacks: [dev, prod-a]\n");
        expect(f.finished()).toBe(true);
    });

    test("--abort once the target's up has begun is refused and changes nothing", async () => {
        const progress = await killedAfter(6, true);
        const f = fakes();
        expect(await abortMove(plan(), f.effects, f.print, progress)).toBe(1);
        expect(f.calls).toEqual([]);
        expect(f.finished()).toBe(false);
        expect(f.lines.join("\n")).toMatch(
            /cannot be undone: pulumi up -s prod-b has begun.*finish it \(npm run fleet -- move shop-a prod-b\)/,
        );
    });

    test("an undo that was killed is taken up by the next run, and ends it", async () => {
        const first = fakes(["copy"]);
        await runMove(plan(), first.effects, first.print);
        const undoing = first.recorded.find((p) => p.failedAt !== undefined)!;
        expect(undoing.failedAt).toBe(5);
        const f = fakes();
        f.volumes["prod-b"].push("shop-a-data");
        expect(await runMove(plan(), f.effects, f.print, undoing)).toBe(1);
        expect(f.lines[0]).toBe("taking up the undo of the move of shop-a to prod-b");
        expect(f.calls).toContain("start prod-a zc-shop-a");
        expect(f.calls.some((c) => c.startsWith("copy") || c.startsWith("up"))).toBe(false);
        expect(f.finished()).toBe(true);
    });
});
