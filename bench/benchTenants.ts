/**
 * The bench's tenant files, written before any timed process starts: a preview reads tenant files
 * that already exist, so writing them is not part of what is measured.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";

/** The stack the evaluated host's tenants are placed on; the rest are on another. */
export const benchStack = "dev";

export function benchTenantName(i: number): string {
    return `tenant-${String(i).padStart(4, "0")}`;
}

/** The file of the bench's `i`th tenant, on benchStack or on another. */
export function benchTenantYaml(i: number, onBenchStack: boolean): string {
    return stringify({
        name: benchTenantName(i),
        stacks: [onBenchStack ? benchStack : "prod"],
        zeptoclaw: {
            providers: { anthropic: { api_key: { secret: "anthropicApiKey" } } },
            channels: { telegram: { enabled: true, token: { secret: "telegramBotToken" } } },
        },
        resources: { memoryReservationMb: 8 },
    });
}

/** Writes `files` tenant files into `dir`, the first `onStack` of them placed on benchStack. */
export function writeBenchTenants(dir: string, files: number, onStack: number): void {
    for (let i = 0; i < files; i++) {
        fs.writeFileSync(path.join(dir, `${benchTenantName(i)}.yaml`), benchTenantYaml(i, i < onStack));
    }
}

/** The stack's tenant secrets for the first `onStack` tenants, as the tenantSecrets config holds them. */
export function benchTenantSecrets(onStack: number): Record<string, Record<string, string>> {
    return Object.fromEntries(
        Array.from({ length: onStack }, (_, i) => [
            benchTenantName(i),
            { anthropicApiKey: `sk-ant-${i}`, telegramBotToken: `${i}:TOKEN` },
        ]),
    );
}
