/**
 * The default branch of a switch over a union: it compiles only when every member has its case,
 * so a new member is handled where it matters instead of falling through to a guess.
 */
export function unreachable(value: never): never {
    throw new Error(`unhandled case ${JSON.stringify(value)}`);
}
