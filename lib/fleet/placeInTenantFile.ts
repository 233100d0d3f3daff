import { isScalar, parseDocument } from "yaml";

/**
 * The tenant file's text with `stacks[index]` changed from the environment to the host stack,
 * and nothing else: the entry is replaced where it stands in the text, in its own quoting, so
 * comments, layout and the JSON of a .json file stay as the operator wrote them.
 */
export function placeInTenantFile(text: string, index: number, environment: string, stack: string): string {
    const document = parseDocument(text);
    const node = document.getIn(["stacks", index], true);
    if (!isScalar(node) || node.value !== environment || node.range === undefined || node.range === null) {
        throw new Error(`stacks[${index}] is not "${environment}"`);
    }
    const [start, end] = node.range;
    const splice = (written: string) => `${text.slice(0, start)}${written}${text.slice(end)}`;
    const quoted = node.type === "QUOTE_SINGLE" ? `'${stack}'` : JSON.stringify(stack);
    const placed = node.type === "PLAIN" ? splice(stack) : splice(quoted);
    // A plain name that YAML reads as something else (a number, true) keeps its meaning quoted.
    return parseDocument(placed).getIn(["stacks", index]) === stack ? placed : splice(JSON.stringify(stack));
}
