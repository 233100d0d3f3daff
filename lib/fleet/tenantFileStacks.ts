import { isScalar, isSeq, parseDocument } from "yaml";

/**
 * The text of a tenant file with the entries of its `stacks` list that differ from `stacks`
 * replaced in place: every other byte of the file, comments and layout included, stays as
 * written. A stack name is a plain word, written in the quotes its entry had. Undefined when the
 * file has no `stacks` list of that length (the caller then refuses to touch it). A JSON file is
 * YAML to this parser, and stays JSON.
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
            edits.push({ start, end, value: `${quote}${stacks[i]}${quote}` });
        }
    }
    return edits
        .sort((a, b) => b.start - a.start)
        .reduce((out, e) => out.slice(0, e.start) + e.value + out.slice(e.end), text);
}
