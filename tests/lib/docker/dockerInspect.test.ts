import { z } from "zod";
import { readDockerInspect } from "../../../lib/docker/dockerInspect";

const schema = z.array(z.looseObject({ Name: z.string(), State: z.looseObject({ Status: z.string() }) }));

describe("readDockerInspect", () => {
    test("keeps the fields a reader names, and lets Docker add others", () => {
        const json = JSON.stringify([
            { Name: "/zc-shop-a", State: { Status: "running", Pid: 7 }, Id: "abc" },
        ]);
        expect(readDockerInspect(json, schema)).toEqual([
            { Name: "/zc-shop-a", State: { Status: "running", Pid: 7 }, Id: "abc" },
        ]);
    });

    test("names the first field that does not fit", () => {
        expect(() => readDockerInspect(JSON.stringify([{ Name: "/zc-shop-a", State: {} }]), schema)).toThrow(
            /^docker inspect printed something unexpected at 0\.State\.Status: /,
        );
    });
});
