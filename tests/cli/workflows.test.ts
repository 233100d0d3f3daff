import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { stacksFromFileNames } from "../../lib/tenants/selectTenants";

const repo = path.resolve(__dirname, "..", "..");
const workflowsDir = path.join(repo, ".github/workflows");
const load = (file: string) =>
    parse(fs.readFileSync(path.join(workflowsDir, file), "utf8")) as Record<string, any>;
const stacks = stacksFromFileNames(fs.readdirSync(repo));
const scripts = Object.keys(
    (
        JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as {
            scripts: Record<string, string>;
        }
    ).scripts,
);

/** Every `npm run <script>` of a workflow names a script of package.json. */
function npmScripts(workflow: Record<string, any>): string[] {
    return Object.values(workflow.jobs as Record<string, any>)
        .flatMap((job) => (job.steps ?? []) as { run?: string }[])
        .flatMap((step) => [...(step.run ?? "").matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]));
}

function pulumiSteps(workflow: Record<string, any>) {
    return Object.entries(workflow.jobs as Record<string, any>).flatMap(([name, job]) =>
        ((job.steps ?? []) as { uses?: string; with?: Record<string, unknown> }[])
            .filter((s) => s.uses?.startsWith("pulumi/actions@"))
            .map((step) => ({ name, job, step })),
    );
}

describe("GitHub workflows", () => {
    test("checks run install, typecheck, lint and the tests with the project's own scripts", () => {
        const checks = load("checks.yml");
        expect(npmScripts(checks)).toEqual(["typecheck", "lint", "test:unit"]);
        for (const script of npmScripts(checks)) {
            expect(scripts).toContain(script);
        }
    });

    test.each([
        ["preview.yml", "preview"],
        ["deploy.yml", "up"],
        ["drift.yml", "preview"],
    ])("%s runs pulumi %s on existing stacks, only after the checks", (file, command) => {
        const workflow = load(file);
        expect(workflow.jobs.checks.uses).toBe("./.github/workflows/checks.yml");
        const steps = pulumiSteps(workflow);
        expect(steps.length).toBeGreaterThan(0);
        for (const { job, step } of steps) {
            expect(job.needs).toBe("checks");
            expect(step.with?.command).toBe(command);
            expect(step.with?.["stack-name"]).toBe("${{ matrix.stack }}");
            for (const stack of job.strategy.matrix.stack as string[]) {
                expect(stacks).toContain(stack);
            }
        }
    });

    test("previews and deploys run the guardrail policy pack", () => {
        for (const file of ["preview.yml", "deploy.yml"]) {
            for (const { step } of pulumiSteps(load(file))) {
                expect(step.with?.policyPacks).toBe("policy");
            }
        }
        expect(fs.existsSync(path.join(repo, "policy/PulumiPolicy.yaml"))).toBe(true);
    });

    test("previews comment the diff on the pull request", () => {
        const [{ step }] = pulumiSteps(load("preview.yml"));
        expect(load("preview.yml").on).toHaveProperty("pull_request");
        expect(step.with?.["comment-on-pr"]).toBe(true);
    });

    test("deploys run on main, one at a time per stack", () => {
        const workflow = load("deploy.yml");
        expect(workflow.on.push.branches).toEqual(["main"]);
        expect(workflow.jobs.up.concurrency).toEqual({
            group: "pulumi-${{ matrix.stack }}",
            "cancel-in-progress": false,
        });
    });

    test("the nightly drift check refreshes and fails on any change", () => {
        const workflow = load("drift.yml");
        expect(workflow.on.schedule).toHaveLength(1);
        const [{ step, job }] = pulumiSteps(workflow);
        expect(step.with).toMatchObject({ refresh: true, "expect-no-changes": true });
        expect(job.concurrency.group).toBe("pulumi-${{ matrix.stack }}");
    });
});
