import { cpusReadBack, cpusSurviveReadBack, declaredCpus } from "../../../lib/tenants/providerCpus";

describe("cpus as terraform-provider-docker v4.5.0 reads it back (nanoInt64ToDecimalString)", () => {
    test.each([
        [1e9, "1.0"],
        [2e9, "2.0"],
        [10e9, "10."],
        [11e9, "11.0"],
        [0.5e9, "0.5"],
        [0.25e9, "0.25"],
        [1.5e9, "1.5"],
        [0.05e9, "0.1"],
        [0.01e9, "0.0"],
        [10.05e9, "10.1"],
        [0.125e9, "0.125"],
        [0, "0"],
    ])("NanoCpus %d reads back as %s", (nano, text) => {
        expect(cpusReadBack(nano)).toBe(text);
    });
});

describe("the program declares cpus in the provider's read-back form", () => {
    test.each([
        [1, "1.0"],
        [0.25, "0.25"],
        [0.5, "0.5"],
        [2, "2.0"],
        [20, "20."],
    ])("%d is declared as %s", (cpus, text) => {
        expect(declaredCpus(cpus)).toBe(text);
        expect(cpusSurviveReadBack(cpus)).toBe(true);
    });

    test.each([0.01, 0.05, 0.09, 10.05])("%d cannot be declared: it reads back as another value", (cpus) => {
        expect(cpusSurviveReadBack(cpus)).toBe(false);
    });
});
