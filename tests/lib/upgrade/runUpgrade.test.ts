import { UpgradeEffects, runUpgrade } from "../../../lib/upgrade/runUpgrade";
import { RingOutcome, UpgradePlan, planUpgrade } from "../../../lib/upgrade/upgradePlan";
import { publishedImage, ringsLocation, ringsOf } from "../../support/upgradeFixtures";
const tenants = new Map([
    ["shop-a", "canary"],
    ["shop-b", "early"],
    ["shop-c", "main"],
]);

function plan(): UpgradePlan {
    const planned = planUpgrade(
        ringsOf(["canary", "early", "main"]),
        publishedImage,
        tenants,
        "0.9.3",
        ringsLocation,
    );
    if (!planned.ok) {
        throw new Error(planned.message);
    }
    return planned.plan;
}

/** Effects on a fake stack: its imageRings, each tenant's version after an up; `notReady` never becomes ready. */
function fakes(notReady: string[] = []) {
    const entries = ["canary", "early", "main"];
    const calls: string[] = [];
    const recorded: RingOutcome[][] = [];
    let finished = false;
    const effects: UpgradeEffects = {
        setRing: (index, entry) => {
            calls.push(`set ${index} ${entry}`);
            entries[index] = entry;
            return Promise.resolve();
        },
        up: () => {
            calls.push("up");
            return Promise.resolve({ ok: true });
        },
        waitReady: (names, version) => {
            calls.push(`wait ${names.join(",")} ${version}`);
            return Promise.resolve(
                names.map((tenant) =>
                    notReady.includes(tenant) && version === "0.9.3"
                        ? { tenant, ready: false as const, reason: "unhealthy" }
                        : { tenant, ready: true as const },
                ),
            );
        },
        record: (outcomes) => recorded.push(structuredClone([...outcomes])),
        finish: () => {
            finished = true;
        },
    };
    return { entries, calls, recorded, effects, finished: () => finished, lines: [] as string[] };
}

describe("runUpgrade, killed and run again", () => {
    test("records every ring's outcome as it ends, and ends by saying nothing is left to take up", async () => {
        const f = fakes();
        expect(await runUpgrade(plan(), f.effects, (l) => f.lines.push(l))).toBe(0);
        expect(f.recorded.map((r) => r.length)).toEqual([1, 2, 3]);
        expect(f.finished()).toBe(true);
    });

    test("a run killed inside a ring applies that ring again, then the rest", async () => {
        const first = fakes();
        await runUpgrade(plan(), first.effects, () => undefined);
        // Killed after canary's outcome was recorded, with early's entry set and its up under way.
        const f = fakes();
        f.entries[0] = "canary=0.9.3";
        f.entries[1] = "early=0.9.3";
        expect(await runUpgrade(plan(), f.effects, (l) => f.lines.push(l), first.recorded[0])).toBe(0);
        expect(f.lines[0]).toBe(
            "taking up the upgrade to 0.9.3 where a run was stopped: 1 ring step(s) recorded",
        );
        expect(f.calls).toEqual([
            "set 1 early=0.9.3",
            "up",
            "wait shop-b 0.9.3",
            "set 2 main=0.9.3",
            "up",
            "wait shop-c 0.9.3",
        ]);
        expect(f.entries).toEqual(["canary=0.9.3", "early=0.9.3", "main=0.9.3"]);
    });

    test("a ring the killed run had moved and that is not ready is rolled back to the entry it had before", async () => {
        // Killed with early's entry on 0.9.3 and nothing recorded of it; in this run, it is not ready.
        const first = fakes();
        await runUpgrade(plan(), first.effects, () => undefined);
        const f = fakes(["shop-b"]);
        f.entries[1] = "early=0.9.3";
        expect(await runUpgrade(plan(), f.effects, (l) => f.lines.push(l), first.recorded[0])).toBe(1);
        expect(f.calls).toEqual([
            "set 1 early=0.9.3",
            "up",
            "wait shop-b 0.9.3",
            "set 1 early",
            "up",
            "wait shop-b 0.9.2",
        ]);
        expect(f.entries).toEqual(["canary", "early", "main"]);
        expect(f.finished()).toBe(true);
    });
});
