import { ImagePlan } from "../../../lib/config/imagePlan";
import { RingOutcome, UpgradePlan, nextStep, planUpgrade } from "../../../lib/upgrade/upgradePlan";
import {
    publishedImage as published,
    ringsLocation as where,
    ringsOf as rings,
} from "../../support/upgradeFixtures";
const tenants = new Map([
    ["shop-a", "canary"],
    ["shop-b", "early"],
    ["shop-c", "main"],
    ["shop-d", "main"],
]);

function planOf(entries: string[], version = "0.9.3"): UpgradePlan {
    const planned = planUpgrade(rings(entries), published, tenants, version, where);
    if (!planned.ok) {
        throw new Error(planned.message);
    }
    return planned.plan;
}

const allReady = (...names: string[]): RingOutcome => ({
    tenants: names.map((tenant) => ({ tenant, ready: true as const })),
});

describe("planUpgrade", () => {
    test("moves the rings in imageRings order, each with its tenants and the entry it goes back to", () => {
        const plan = planOf(["canary=0.9.2-rc1", "early", "main"]);
        expect(plan.moves).toEqual([
            {
                ring: "canary",
                index: 0,
                tenants: ["shop-a"],
                from: { name: "canary", version: "0.9.2-rc1" },
                fromVersion: "0.9.2-rc1",
                toVersion: "0.9.3",
            },
            {
                ring: "early",
                index: 1,
                tenants: ["shop-b"],
                from: { name: "early" },
                fromVersion: "0.9.2",
                toVersion: "0.9.3",
            },
            {
                ring: "main",
                index: 2,
                tenants: ["shop-c", "shop-d"],
                from: { name: "main" },
                fromVersion: "0.9.2",
                toVersion: "0.9.3",
            },
        ]);
    });

    test("a ring already on the version is left alone; a stack without rings moves main", () => {
        expect(planOf(["canary=0.9.3", "early", "main"]).moves.map((m) => m.ring)).toEqual(["early", "main"]);
        expect(planOf(["canary=0.9.3", "early", "main"]).unchanged).toEqual(["canary"]);
        const plain = planUpgrade(rings([]), published, new Map([["shop-c", "main"]]), "0.9.3", where);
        expect(plain.ok && plain.plan.moves).toEqual([
            {
                ring: "main",
                index: 0,
                tenants: ["shop-c"],
                from: { name: "main" },
                fromVersion: "0.9.2",
                toVersion: "0.9.3",
            },
        ]);
    });

    test("refuses a version the stack could not run, with the reason", () => {
        expect(planUpgrade(rings(["main"]), published, tenants, "not a tag!", where)).toEqual({
            ok: false,
            message: `the stack cannot run not a tag! in rings: ${where}: [0]: "not a tag!" is not a version tag such as 0.9.2`,
        });
        const build: ImagePlan = {
            source: "build",
            version: "0.9.2",
            context: "zc",
            dockerfile: "Dockerfile",
        };
        const refused = planUpgrade(rings(["main"], build), build, tenants, "0.9.3", where);
        expect(refused.ok).toBe(false);
        expect(!refused.ok && refused.message).toMatch(/imageSource is "build"/);
    });
});

describe("nextStep", () => {
    const plan = planOf(["canary", "early", "main"]);

    test("one ring at a time, each after the previous one is ready, then done", () => {
        const first = nextStep(plan, []);
        expect(first).toMatchObject({
            kind: "apply",
            move: { ring: "canary", index: 0 },
            entry: "canary=0.9.3",
            version: "0.9.3",
            lines: ["ring canary (1 tenant): 0.9.2 -> 0.9.3"],
        });
        expect(nextStep(plan, [allReady("shop-a")])).toMatchObject({
            kind: "apply",
            entry: "early=0.9.3",
            lines: ["ring canary: 1 tenant ready on 0.9.3", "ring early (1 tenant): 0.9.2 -> 0.9.3"],
        });
        expect(nextStep(plan, [allReady("shop-a"), allReady("shop-b")])).toMatchObject({
            kind: "apply",
            entry: "main=0.9.3",
            lines: [expect.any(String), "ring main (2 tenants): 0.9.2 -> 0.9.3"],
        });
        expect(
            nextStep(plan, [allReady("shop-a"), allReady("shop-b"), allReady("shop-c", "shop-d")]),
        ).toEqual({
            kind: "finished",
            exitStatus: 0,
            lines: [
                "ring main: 2 tenants ready on 0.9.3",
                "upgrade to 0.9.3 done: canary, early, main ready on it",
            ],
        });
    });

    test("a ring that is not ready goes back to its previous entry, with the reasons", () => {
        const failed: RingOutcome = {
            upFailure: "failed (exit status 255): error: update failed",
            tenants: [
                {
                    tenant: "shop-a",
                    ready: false,
                    reason: "unhealthy (last probe exit 8: wget: server returned error: HTTP/1.1 503)",
                },
            ],
        };
        expect(nextStep(plan, [failed])).toEqual({
            kind: "apply",
            move: plan.moves[0],
            entry: "canary",
            version: "0.9.2",
            lines: [
                "ring canary did not become ready on 0.9.3:",
                "  shop-a: unhealthy (last probe exit 8: wget: server returned error: HTTP/1.1 503)",
                "  pulumi up: failed (exit status 255): error: update failed",
                "rolling ring canary back to 0.9.2",
            ],
        });
        expect(nextStep(plan, [failed, allReady("shop-a")])).toEqual({
            kind: "stopped",
            exitStatus: 1,
            lines: [
                "ring canary is back on 0.9.2: 1 tenant ready",
                "upgrade to 0.9.3 stopped at ring canary; not touched: early (0.9.2), main (0.9.2)",
            ],
        });
    });

    test("a failed pulumi up alone stops the ring, even with every tenant ready", () => {
        const step = nextStep(plan, [
            { upFailure: "failed (exit status 1): boom", tenants: allReady("shop-a").tenants },
        ]);
        expect(step).toMatchObject({ kind: "apply", entry: "canary", version: "0.9.2" });
    });

    test("a later ring's failure keeps the earlier rings on the version; a failed rollback says so", () => {
        const notReady: RingOutcome = {
            tenants: [{ tenant: "shop-b", ready: false, reason: "its container is exited (exit code 1)" }],
        };
        expect(nextStep(plan, [allReady("shop-a"), notReady])).toMatchObject({
            kind: "apply",
            move: { ring: "early" },
            entry: "early",
            lines: [
                "ring early did not become ready on 0.9.3:",
                "  shop-b: its container is exited (exit code 1)",
                "rolling ring early back to 0.9.2",
            ],
        });
        expect(nextStep(plan, [allReady("shop-a"), notReady, notReady])).toEqual({
            kind: "stopped",
            exitStatus: 1,
            lines: [
                "ring early did not become ready on 0.9.2 either:",
                "  shop-b: its container is exited (exit code 1)",
                "upgrade to 0.9.3 stopped at ring early; canary stays on 0.9.3; not touched: main (0.9.2)",
            ],
        });
    });

    test("nothing to move is done at once", () => {
        expect(nextStep(planOf(["canary", "main"], "0.9.2"), [])).toEqual({
            kind: "finished",
            exitStatus: 0,
            lines: ["every ring already runs 0.9.2; nothing to do"],
        });
    });
});
