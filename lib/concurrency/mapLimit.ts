/**
 * Maps with at most `limit` calls in flight, results in the order of `items`: one `docker cp` per
 * tenant or one Pulumi operation per host, not hundreds at once.
 */
export async function mapLimit<T, R>(
    items: ReadonlyArray<T>,
    limit: number,
    fn: (item: T) => Promise<R>,
): Promise<R[]> {
    const results: R[] = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
    return results;
}
