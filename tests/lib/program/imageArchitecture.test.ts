import { imageArchitectureProblems } from "../../../lib/program/imageArchitecture";

const type = (name: string, architecture: string) => ({
    name,
    memoryMb: 8192,
    cores: 4,
    architecture,
    deprecated: false,
    locations: ["fsn1"],
});

describe("imageArchitectureProblems", () => {
    test("an ARM server with the published (amd64-only) image is refused, naming the key", () => {
        expect(imageArchitectureProblems(type("cax21", "arm"), "published", "prod")).toEqual([
            {
                where: "Pulumi.prod.yaml: zeptoclaw-fleet:serverType",
                path: "",
                message: expect.stringMatching(
                    /"cax21" is an ARM server.*linux\/amd64.*docker\.yml.*imageSource to "build"/,
                ),
            },
        ]);
    });

    test.each([
        ["cax21", "arm", "build"],
        ["cx32", "x86", "published"],
        ["cx32", "x86", "build"],
    ] as const)("%s (%s) with imageSource %s is allowed", (name, arch, source) => {
        expect(imageArchitectureProblems(type(name, arch), source, "prod")).toEqual([]);
    });
});
