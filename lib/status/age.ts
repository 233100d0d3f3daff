/**
 * How long ago something happened, in its largest whole unit: `42s ago`, `5m ago`, `7h ago`,
 * `3d ago`. Hours up to two days, so that "last night" reads as hours. A time more than a minute
 * ahead of this machine's clock is said to be in the future rather than hidden.
 */
export function formatAge(ageMs: number): string {
    if (ageMs < -60_000) {
        return "in the future";
    }
    const seconds = Math.max(0, Math.floor(ageMs / 1000));
    if (seconds < 60) {
        return `${seconds}s ago`;
    }
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) {
        return `${minutes}m ago`;
    }
    const hours = Math.floor(minutes / 60);
    if (hours < 48) {
        return `${hours}h ago`;
    }
    return `${Math.floor(hours / 24)}d ago`;
}

/** A UTC time to the minute, `2026-11-28 02:00 UTC`: a backup's time, not its milliseconds. */
export function formatUtcMinute(time: Date): string {
    return `${time.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
