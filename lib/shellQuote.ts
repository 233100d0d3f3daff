/** Single-quotes a word for sh, so that nothing in it is expanded. */
export function shellQuote(word: string): string {
    return `'${word.replace(/'/g, `'\\''`)}'`;
}
