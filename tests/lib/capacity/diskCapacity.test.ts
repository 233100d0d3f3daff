import { diskCapacity } from "../../../lib/capacity/diskCapacity";
import { Tenant } from "../../../lib/tenants/tenant";

const tenant = (name: string, diskMb: number) =>
    ({ name, file: `tenants/${name}.yaml`, resources: { diskMb } }) as unknown as Tenant;
const key = "Pulumi.prod.yaml: zeptoclaw-fleet:dataVolumeGb";

describe("disk limits against the data Volume", () => {
    test("limits that fit together pass quietly", () => {
        expect(diskCapacity([tenant("a", 1024), tenant("b", 1024)], 20, key)).toEqual({
            problems: [],
            overcommitWarning: undefined,
        });
    });

    test("limits that add up to more than the Volume are allowed, with a warning", () => {
        const result = diskCapacity(
            Array.from({ length: 25 }, (_, i) => tenant(`t${i}`, 1024)),
            20,
            key,
        );
        expect(result.problems).toEqual([]);
        expect(result.overcommitWarning).toMatch(/add up to 25\.0 GB on a 20 GB data Volume/);
    });

    test("a limit above the whole Volume is refused in the tenant's file", () => {
        expect(diskCapacity([tenant("big", 21 * 1024)], 20, key).problems).toEqual([
            {
                where: "tenants/big.yaml",
                path: "resources.diskMb",
                message: `is 21504 MB, more than the whole 20 GB data Volume (${key}); lower it or grow the Volume`,
            },
        ]);
    });
});
