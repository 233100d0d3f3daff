/**
 * The ZeptoClaw release this contract was read from. Every source path cited in this folder is at
 * that tag of github.com/qhkm/zeptoclaw; a new release means reading them again.
 */
export const contractVersion = "0.9.2";

/** An error message that ends with the upstream rule's source, so an operator can check it. */
export function citing(message: string, source: string): string {
    return `${message} (ZeptoClaw ${contractVersion}: ${source})`;
}
