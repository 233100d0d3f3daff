import { ServerTypeInfo } from "../../lib/capacity/capacity";

/** A fixture of Hetzner's server type list, in the shape of hcloud.getServerTypes(). */
function serverType(name: string, memoryGb: number, cores: number, architecture = "x86", deprecated = false) {
    return {
        id: name.length,
        name,
        memory: memoryGb,
        cores,
        architecture,
        isDeprecated: deprecated,
        category: "shared",
        cpuType: "shared",
        deprecationAnnounced: "",
        description: name.toUpperCase(),
        disk: 40,
        includedTraffic: 20,
        storageType: "local",
        unavailableAfter: "",
        locations: ["fsn1", "nbg1", "hel1"].map((l, i) => ({
            id: i,
            name: l,
            available: true,
            isDeprecated: false,
            deprecationAnnounced: "",
            unavailableAfter: "",
        })),
    };
}

export const serverTypesFixture = [
    serverType("cx22", 4, 2),
    serverType("cx32", 8, 4),
    serverType("cx42", 16, 8),
    serverType("cx52", 32, 16),
    serverType("cax21", 8, 4, "arm"),
    serverType("cx11", 2, 1, "x86", true),
];

/** The same list as the capacity check sees it (ServerTypeInfo), for commands given it directly. */
export const serverTypeInfosFixture: ServerTypeInfo[] = serverTypesFixture.map((t) => ({
    name: t.name,
    memoryMb: t.memory * 1024,
    cores: t.cores,
    architecture: t.architecture,
    deprecated: t.isDeprecated,
    locations: t.locations.map((l) => l.name),
}));
