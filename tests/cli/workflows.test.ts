import * as fs from "node:fs";
import * as path from "node:path";
import * as semver from "semver";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { hostPackages } from "../../lib/host/cloudInit";
import { stacksFromFileNames } from "../../lib/tenants/selectTenants";
import { shellcheck } from "../support/shellcheck";
import { baseCommands, unitTestTools } from "../support/unitTestTools";

const repo = path.resolve(__dirname, "..", "..");
const workflowsDir = path.join(repo, ".github/workflows");
const load = (file: string) =>
    parse(fs.readFileSync(path.join(workflowsDir, file), "utf8")) as Record<string, any>;
const stacks = stacksFromFileNames(fs.readdirSync(repo));
const packageJson = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
    engines: { node: string };
    devDependencies: Record<string, string>;
};
const scripts = Object.keys(packageJson.scripts);

/** Every `npm run <script>` of a workflow names a script of package.json. */
function npmScripts(workflow: Record<string, any>): string[] {
    return Object.values(workflow.jobs as Record<string, any>)
        .flatMap((job) => (job.steps ?? []) as { run?: string }[])
        .flatMap((step) => [...(step.run ?? "").matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]));
}

/** The programs the unit tests' sources hand to execFileSync, spawnSync, execFile or spawn by name. */
function programsRunByUnitTests(): string[] {
    const sources = ["tests/lib", "tests/program", "tests/cli", "tests/support"].flatMap((dir) =>
        (fs.readdirSync(path.join(repo, dir), { recursive: true }) as string[])
            .filter((f) => f.endsWith(".ts"))
            .map((f) => fs.readFileSync(path.join(repo, dir, f), "utf8")),
    );
    const calls = sources.flatMap((text) => [
        ...text.matchAll(/\b(?:execFileSync|spawnSync|execFile|spawn)\(\s*"([^"]+)"/g),
    ]);
    return [...new Set(calls.map((m) => m[1]))].sort();
}

/** The packages an `apt-get install` line names. */
function aptPackages(run: string): string[] {
    const install = /apt-get install ([^&|;\n]*)/.exec(run)?.[1] ?? "";
    return install.split(/\s+/).filter((word) => word !== "" && !word.startsWith("-"));
}

function pulumiSteps(workflow: Record<string, any>) {
    return Object.entries(workflow.jobs as Record<string, any>).flatMap(([name, job]) =>
        ((job.steps ?? []) as { uses?: string; with?: Record<string, unknown> }[])
            .filter((s) => s.uses?.startsWith("pulumi/actions@"))
            .map((step) => ({ name, job, step })),
    );
}

describe("GitHub workflows", () => {
    test("every workflow runs the Node major the npm scripts run: the pinned node devDependency", () => {
        const pinned = packageJson.devDependencies.node;
        expect(semver.satisfies(pinned, packageJson.engines.node)).toBe(true);
        const files = fs.readdirSync(workflowsDir).filter((f) => f.endsWith(".yml"));
        expect(files.length).toBeGreaterThan(0);
        for (const file of files) {
            const setups = Object.values(load(file).jobs as Record<string, any>)
                .flatMap((job) => (job.steps ?? []) as { uses?: string; with?: Record<string, unknown> }[])
                .filter((step) => step.uses?.startsWith("actions/setup-node@"));
            expect({ file, versions: setups.map((s) => String(s.with?.["node-version"])) }).toEqual({
                file,
                versions: setups.map(() => String(semver.major(pinned))),
            });
        }
    });

    test("checks run install, typecheck, lint and the tests with the project's own scripts", () => {
        const checks = load("checks.yml");
        expect(npmScripts(checks)).toEqual(["typecheck", "lint", "test:unit"]);
        for (const script of npmScripts(checks)) {
            expect(scripts).toContain(script);
        }
    });

    test("checks install what the unit tests run before running them", () => {
        const steps = load("checks.yml").jobs.checks.steps as { run?: string }[];
        const install = steps.findIndex((s) => aptPackages(s.run ?? "").length > 0);
        const unit = steps.findIndex((s) => s.run === "npm run test:unit");
        expect(install).toBeGreaterThanOrEqual(0);
        expect(install).toBeLessThan(unit);
        expect(aptPackages(steps[install].run ?? "")).toEqual(
            expect.arrayContaining(Object.values(unitTestTools)),
        );
    });

    test("the unit tests run only programs listed in tests/support/unitTestTools.ts", () => {
        const programs = programsRunByUnitTests();
        expect(programs).toEqual(expect.arrayContaining(["shellcheck", "cloud-init"]));
        for (const program of programs) {
            expect([...Object.keys(unitTestTools), ...baseCommands]).toContain(program);
        }
    });

    test("CI runs exactly README's test command, which installs what every test needs on a fresh clone", () => {
        const readme = fs.readFileSync(path.join(repo, "README.md"), "utf8");
        const command = /Run the tests, exactly as CI does[^`]*```bash\n([^\n]+)\n```/.exec(readme)?.[1];
        const ci = fs.readFileSync(path.join(repo, ".ci/run"), "utf8").trim().split("\n");
        expect(command).toBe("npm test");
        expect(ci[ci.length - 1]).toBe(command);
        // The node modules, when the clone has none, before anything calls tsc, eslint or jest.
        const pkg = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as {
            scripts: Record<string, string>;
        };
        expect(pkg.scripts.pretest).toMatch(/\|\| npm ci\b/);
        expect(pkg.scripts.test).toMatch(/npm run engine:setup && jest/);
        // engine:setup installs the unit tests' programs, as command=package pairs.
        const setup = fs.readFileSync(path.join(repo, "scripts/engine/setup.sh"), "utf8");
        const hostTools = /^HOST_TOOLS=\(([^)]*)\)/m.exec(setup)?.[1].split(/\s+/) ?? [];
        for (const [program, pkgName] of Object.entries(unitTestTools)) {
            expect(hostTools).toContain(`${program}=${pkgName}`);
        }
        // The debian-13 tree holds what such a host installs, for the debian-13 host suite.
        const treePackages = /^HOST_PACKAGES=\(([^)]*)\)/m.exec(setup)?.[1].split(/\s+/) ?? [];
        expect(treePackages).toEqual(
            expect.arrayContaining([...hostPackages, "caddy", "cloud-init", "systemd"]),
        );
    });

    test.each([
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

    test("deploys run the guardrail policy pack", () => {
        for (const { step } of pulumiSteps(load("deploy.yml"))) {
            expect(step.with?.policyPacks).toBe("policy");
        }
        expect(fs.existsSync(path.join(repo, "policy/PulumiPolicy.yaml"))).toBe(true);
    });

    test("pull requests preview, after the checks, only the hosts they change, through the fleet command", () => {
        const workflow = load("preview.yml");
        expect(workflow.on).toHaveProperty("pull_request");
        expect(workflow.jobs.checks.uses).toBe("./.github/workflows/checks.yml");
        const job = workflow.jobs.preview;
        expect(job.needs).toBe("checks");
        const steps = job.steps as { uses?: string; run?: string; with?: Record<string, unknown> }[];
        // --changed needs the base branch's history.
        expect(steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.["fetch-depth"]).toBe(0);
        const fleet = steps.findIndex((s) => /npm run --silent fleet -- preview/.test(s.run ?? ""));
        expect(steps[fleet].run).toMatch(
            /-e prod --changed "origin\/\$\{GITHUB_BASE_REF\}\.\.\.HEAD" --comment preview\.md$/,
        );
        expect(stacks).toContain("prod");
        expect(pulumiSteps(workflow)).toEqual([]);
        // The comment, a failed preview's too, into the job summary and as the pull request's one
        // comment, replaced at each push (the sticky comment action finds it by its header).
        const after = steps.slice(fleet + 1) as {
            if?: string;
            uses?: string;
            run?: string;
            with?: Record<string, unknown>;
        }[];
        expect(after.map((s) => s.if)).toEqual([
            "always() && hashFiles('preview.md') != ''",
            "always() && hashFiles('preview.md') != ''",
        ]);
        expect(after[0].run).toBe('cat preview.md >> "$GITHUB_STEP_SUMMARY"');
        expect(after[1].uses).toMatch(/^marocchino\/sticky-pull-request-comment@v2$/);
        expect(after[1].with).toEqual({ header: "zeptoclaw-fleet-preview", path: "preview.md" });
        expect(workflow.permissions["pull-requests"]).toBe("write");
    });

    test("every workflow is valid for GitHub Actions' schema, and its shell steps pass shellcheck", () => {
        for (const file of fs.readdirSync(workflowsDir).filter((f) => f.endsWith(".yml"))) {
            const text = fs.readFileSync(path.join(workflowsDir, file), "utf8");
            expect({ file, errors: validateWorkflow(text).errors }).toEqual({ file, errors: [] });
            const jobs = Object.values(parse(text).jobs as Record<string, { steps?: { run?: string }[] }>);
            for (const step of jobs.flatMap((j) => j.steps ?? []).filter((s) => s.run !== undefined)) {
                // GitHub expands ${{ }} before bash sees the script: a placeholder stands for it.
                shellcheck(`#!/bin/bash\n${step.run!.replace(/\$\{\{[^}]*\}\}/g, "EXPANDED")}`);
            }
        }
        // The check refuses what GitHub would: here, a misspelt key.
        expect(
            validateWorkflow("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    stepz: []\n").errors,
        ).not.toEqual([]);
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
