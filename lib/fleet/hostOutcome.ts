/** How one host's operation ended. */
export interface HostOutcome {
    stack: string;
    /** `attention`: the host answered, but some tenant is not running or not healthy (status). */
    result: "ok" | "attention" | "failed";
    /** The resource changes, the status summary, or what failed. */
    detail: string;
    seconds: number;
}

/** Pulumi's operation kinds (OpType in the Automation API), in the order a reader wants them. */
const changeOrder = [
    "create",
    "update",
    "replace",
    "delete",
    "create-replacement",
    "delete-replaced",
    "read",
    "import",
];

/** `1 create, 2 update, 40 same`: the kinds with a count, "same" last; `no resources` when empty. */
export function formatChanges(changes: Readonly<Record<string, number | undefined>>): string {
    const kinds = Object.keys(changes).filter((k) => (changes[k] ?? 0) > 0 && k !== "same");
    kinds.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const parts = kinds.map((k) => `${changes[k]} ${k}`);
    if ((changes.same ?? 0) > 0) {
        parts.push(`${changes.same} same`);
    }
    return parts.length === 0 ? "no resources" : parts.join(", ");
}

function rank(kind: string): number {
    const i = changeOrder.indexOf(kind);
    return i === -1 ? changeOrder.length : i;
}

/** One line per host, columns aligned: HOST, RESULT, DURATION, DETAIL. */
export function formatOutcomes(outcomes: ReadonlyArray<HostOutcome>): string[] {
    const rows = [
        ["HOST", "RESULT", "DURATION", "DETAIL"],
        ...outcomes.map((o) => [o.stack, o.result, `${o.seconds.toFixed(1)} s`, o.detail]),
    ];
    const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) =>
        r
            .map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell))
            .join("  ")
            .trimEnd(),
    );
}

/** 1 when a host failed; 3 when a host needs attention (as `npm run status`); else 0. */
export function fleetExitStatus(outcomes: ReadonlyArray<HostOutcome>): number {
    if (outcomes.some((o) => o.result === "failed")) {
        return 1;
    }
    return outcomes.some((o) => o.result === "attention") ? 3 : 0;
}
