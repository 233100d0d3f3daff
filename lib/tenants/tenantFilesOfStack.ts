import * as path from "node:path";
import { TenantElsewhere, TenantSource } from "./selectTenants";

export interface StackNames {
    /** The stack being evaluated. */
    stack: string;
    /** Its environment, which a tenant waiting to be placed lists. */
    environment: string;
    /** Every stack and environment of the project. */
    known: ReadonlyArray<string>;
}

/**
 * Splits a tenants folder into the files one host stack parses and validates and those it leaves
 * to the hosts they name, so that a host stack's preview costs what its own tenants cost, not
 * what the fleet's do. A file is parsed when it could concern this stack: its text names the
 * stack or its environment, or names no stack or environment of the project (a file on no known
 * stack is refused by every host, as before), or says `uid` (an explicit uid may clash with one of
 * ours), or holds a backslash (a YAML or JSON escape could spell a name that the text does not).
 * The names are matched as whole tokens, as Pulumi spells stack names (letters, digits, `_`,
 * `.`, `-`): `prod` is not a mention of `prod-a`. Anything else lists only other stacks, each of
 * whose previews parses it; its tenant's name and derived uid still take part in this stack's
 * uniqueness checks.
 */
export function tenantFilesOfStack(
    sources: ReadonlyArray<TenantSource>,
    names: StackNames,
): { parse: TenantSource[]; elsewhere: TenantElsewhere[] } {
    const ours = tokenPattern([names.stack, names.environment]);
    const anyKnown = tokenPattern(names.known);
    const parse: TenantSource[] = [];
    const elsewhere: TenantElsewhere[] = [];
    for (const source of sources) {
        const { text } = source;
        if (ours.test(text) || !anyKnown.test(text) || explicitUid.test(text) || text.includes("\\")) {
            parse.push(source);
        } else {
            elsewhere.push({
                file: source.file,
                name: path.basename(source.file, path.extname(source.file)),
            });
        }
    }
    return { parse, elsewhere };
}

/** A character of a Pulumi stack name: a token of them is one name. */
const nameChar = "[A-Za-z0-9_.-]";

const explicitUid = tokenPattern(["uid"]);

function tokenPattern(words: ReadonlyArray<string>): RegExp {
    const alternatives = [...new Set(words)].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    // With no word, nothing is mentioned.
    return alternatives.length === 0
        ? /(?!)/
        : new RegExp(`(?<!${nameChar})(?:${alternatives.join("|")})(?!${nameChar})`);
}
