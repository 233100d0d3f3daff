import { isScalar, isSeq, parseDocument } from "yaml";

/**
 * The text of a tenant file with the entries of its `stacks` list that differ from `stacks`
 * replaced in place: every other byte of the file, comments and layout included, stays as
 * written. Each entry keeps the quotes it had; a plain name that YAML would read as something
 * else (a number, true) is quoted so that it stays a name. Undefined when the file has no
 * `stacks` list of that length (the caller then refuses to touch it). A JSON file is YAML to this
 * parser, and stays JSON.
 */
export function withStacks(text: string, stacks: ReadonlyArray<string>): string | undefined {
    const document = parseDocument(text);
    const node = document.get("stacks", true);
    if (document.errors.length > 0 || !isSeq(node) || node.items.length !== stacks.length) {
        return undefined;
    }
    const edits: { start: number; end: number; value: string }[] = [];
    for (const [i, item] of node.items.entries()) {
        if (!isScalar(item) || item.range === undefined || item.range === null) {
            return undefined;
        }
        if (item.value !== stacks[i]) {
            const [start, end] = item.range;
            const quote = /^["']/.exec(text.slice(start, end))?.[0] ?? "";
            const readsAsName = quote !== "" || parseDocument(stacks[i]).toJS() === stacks[i];
            edits.push({
                start,
                end,
                value: readsAsName ? `${quote}${stacks[i]}${quote}` : JSON.stringify(stacks[i]),
            });
        }
    }
    return edits
        .sort((a, b) => b.start - a.start)
        .reduce((out, e) => out.slice(0, e.start) + e.value + out.slice(e.end), text);
}

/** The file with `stacks[index]` changed from `from` to `to` alone; undefined when it is not `from`. */
export function withStacksEntry(text: string, index: number, from: string, to: string): string | undefined {
    const current = parseDocument(text).toJS() as { stacks?: unknown } | null;
    const stacks = current?.stacks;
    if (!Array.isArray(stacks) || stacks[index] !== from || !stacks.every((s) => typeof s === "string")) {
        return undefined;
    }
    return withStacks(
        text,
        stacks.map((s: string, i) => (i === index ? to : s)),
    );
}
