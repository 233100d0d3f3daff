import { serverTypesOfPage } from "../../../lib/fleet/hetznerServerTypes";

/** A page of GET /v1/server_types, trimmed to a few of the fields Hetzner sends. */
const page = {
    server_types: [
        {
            id: 22,
            name: "cx22",
            description: "CX22",
            cores: 2,
            memory: 4.0,
            disk: 40,
            deprecated: false,
            deprecation: null,
            architecture: "x86",
            cpu_type: "shared",
            locations: [
                { id: 1, name: "fsn1", deprecation: null },
                {
                    id: 2,
                    name: "nbg1",
                    deprecation: {
                        announced: "2025-01-01T00:00:00+00:00",
                        unavailable_after: "2025-04-01T00:00:00+00:00",
                    },
                },
            ],
        },
        { id: 1, name: "cx11", cores: 1, memory: 2, architecture: "x86", deprecated: true, locations: [] },
        {
            id: 45,
            name: "cax11",
            cores: 2,
            memory: 4,
            architecture: "arm",
            deprecated: null,
            locations: [{ id: 1, name: "fsn1" }],
        },
    ],
    meta: {
        pagination: {
            page: 1,
            per_page: 50,
            previous_page: null,
            next_page: 2,
            last_page: 2,
            total_entries: 53,
        },
    },
};

describe("serverTypesOfPage", () => {
    test("reads memory in MB, deprecation, and the locations not being withdrawn, and the next page", () => {
        expect(serverTypesOfPage(page)).toEqual({
            types: [
                {
                    name: "cx22",
                    memoryMb: 4096,
                    cores: 2,
                    architecture: "x86",
                    deprecated: false,
                    locations: ["fsn1"],
                },
                {
                    name: "cx11",
                    memoryMb: 2048,
                    cores: 1,
                    architecture: "x86",
                    deprecated: true,
                    locations: [],
                },
                {
                    name: "cax11",
                    memoryMb: 4096,
                    cores: 2,
                    architecture: "arm",
                    deprecated: false,
                    locations: ["fsn1"],
                },
            ],
            nextPage: 2,
        });
    });

    test("the last page has no next page", () => {
        const last = { ...page, meta: { pagination: { ...page.meta.pagination, page: 2, next_page: null } } };
        expect(serverTypesOfPage(last).nextPage).toBeUndefined();
    });

    test("an answer without server types is refused", () => {
        expect(() =>
            serverTypesOfPage({ error: { code: "unauthorized", message: "unable to authenticate" } }),
        ).toThrow(/server_types/);
    });
});
