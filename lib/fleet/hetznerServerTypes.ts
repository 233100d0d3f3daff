import { z } from "zod";
import { ServerTypeInfo } from "../capacity/capacity";

/** The fields of Hetzner Cloud's `GET /v1/server_types` that sizing reads; the rest is ignored. */
const serverTypesPage = z.object({
    server_types: z.array(
        z.object({
            name: z.string(),
            cores: z.number(),
            /** In GB. */
            memory: z.number(),
            architecture: z.string(),
            deprecated: z.boolean().nullable().optional(),
            /** Where it can be ordered; an entry with a deprecation is being withdrawn there. */
            locations: z
                .array(z.object({ name: z.string(), deprecation: z.unknown().nullable().optional() }))
                .default([]),
        }),
    ),
    meta: z.object({ pagination: z.object({ next_page: z.number().nullable() }).optional() }).optional(),
});

export const hetznerApi = "https://api.hetzner.cloud/v1";

/** One page of the answer: its server types as the capacity check sees them, and the next page. */
export function serverTypesOfPage(json: unknown): { types: ServerTypeInfo[]; nextPage?: number } {
    const body = serverTypesPage.parse(json);
    return {
        types: body.server_types.map((t) => ({
            name: t.name,
            memoryMb: Math.round(t.memory * 1024),
            cores: t.cores,
            architecture: t.architecture,
            deprecated: t.deprecated === true,
            locations: t.locations.filter((l) => l.deprecation == null).map((l) => l.name),
        })),
        nextPage: body.meta?.pagination?.next_page ?? undefined,
    };
}

/**
 * Hetzner's server types, every page, read with `token` (the HCLOUD_TOKEN the hcloud provider
 * reads too; reading them needs no write permission).
 */
export async function hetznerServerTypes(token: string): Promise<ServerTypeInfo[]> {
    const types: ServerTypeInfo[] = [];
    let page: number | undefined = 1;
    while (page !== undefined) {
        const response = await fetch(`${hetznerApi}/server_types?per_page=50&page=${page}`, {
            headers: { Authorization: `Bearer ${token}` },
        });
        if (!response.ok) {
            throw new Error(
                `Hetzner Cloud answered ${response.status} ${response.statusText} to GET /v1/server_types; check HCLOUD_TOKEN`,
            );
        }
        const body = serverTypesOfPage(await response.json());
        types.push(...body.types);
        page = body.nextPage;
    }
    return types;
}
