import { runProgram } from "../support/runProgram";
import { fleet } from "../support/tenantFiles";

test("smoke", async () => {
    const run = await runProgram({ ...fleet(["shop-a", "shop-b"]) });
    console.info(run.resources.map((r) => `${r.type} ${r.name}`).join("\n"));
    console.info(JSON.stringify(run.outputs, null, 1));
    console.info(
        JSON.stringify(run.one("docker:index/container:Container", "shop-a/gateway").inputs, null, 1),
    );
});
