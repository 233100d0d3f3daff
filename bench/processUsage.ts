/** What this process has cost so far: its peak resident memory and its CPU time since it started. */
export function processUsage(): { maxRssMb: number; cpuSeconds: number } {
    const { user, system } = process.cpuUsage();
    return {
        // maxRSS is in kB on Linux.
        maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        // User and system time: what the process cost a core.
        cpuSeconds: Number(((user + system) / 1e6).toFixed(2)),
    };
}
