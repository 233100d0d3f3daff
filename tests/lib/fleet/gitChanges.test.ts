import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Git, gitChanges, parseGitRange, resolveGitRange } from "../../../lib/fleet/gitChanges";
import { tenantYaml } from "../../support/tenantFiles";
import { tempDir } from "../../support/tempDir";

describe("parseGitRange", () => {
    test("three dots from the merge base, two dots directly, one revision against HEAD", () => {
        expect(parseGitRange("origin/main...HEAD")).toEqual({
            kind: "merge-base",
            from: "origin/main",
            to: "HEAD",
        });
        expect(parseGitRange("main...")).toEqual({ kind: "merge-base", from: "main", to: "HEAD" });
        expect(parseGitRange("abc..def")).toEqual({ kind: "direct", from: "abc", to: "def" });
        expect(parseGitRange("abc")).toEqual({ kind: "direct", from: "abc", to: "HEAD" });
    });
});

describe("gitChanges on a repository", () => {
    let dir = "";
    let git: Git;
    const commit = (message: string) => {
        run(["add", "-A"]);
        run(["commit", "-q", "-m", message]);
        return run(["rev-parse", "HEAD"]).trim();
    };
    const run = (args: string[]) => {
        const r = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
        if (r.status !== 0) {
            throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
        }
        return r.stdout;
    };
    const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
    };

    beforeAll(() => {
        dir = tempDir("zc-git-changes-");
        run(["init", "-q", "-b", "main"]);
        run(["config", "user.email", "t@example.invalid"]);
        run(["config", "user.name", "t"]);
        git = (args) => {
            const r = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
            return r.status === 0 ? r.stdout : undefined;
        };
    });

    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    test("a moved, a new, a removed, a renamed and a broken tenant file; settings; docs; program", () => {
        write("tenants/moved.yaml", tenantYaml("moved", { stacks: ["prod-a"] }));
        write("tenants/gone.yaml", tenantYaml("gone", { stacks: ["prod-b"] }));
        write("tenants/renamed.yaml", tenantYaml("renamed", { stacks: ["prod-c"] }));
        write("tenants/broken.yaml", tenantYaml("broken", { stacks: ["prod-a"] }));
        write("Pulumi.prod-a.yaml", "config: {}\n");
        write("index.ts", "export {};\n");
        const base = commit("base");
        run(["checkout", "-q", "-b", "feature"]);
        write("tenants/moved.yaml", tenantYaml("moved", { stacks: ["prod-b"] }));
        fs.rmSync(path.join(dir, "tenants/gone.yaml"));
        write("tenants/new.yaml", tenantYaml("new", { stacks: ["prod-c"] }));
        run(["mv", "tenants/renamed.yaml", "tenants/renamed-too.yaml"]);
        write("tenants/renamed-too.yaml", tenantYaml("renamed-too", { stacks: ["prod-c"] }));
        write("tenants/broken.yaml", "name: [\n");
        write("Pulumi.prod-a.yaml", "config:\n    zeptoclaw-fleet:serverType: cx42\n");
        write("docs/notes.md", "notes\n");
        commit("feature");
        // main moves on meanwhile: three dots compare from where the branch left it.
        run(["checkout", "-q", "main"]);
        write("index.ts", "export const changedOnMain = 1;\n");
        commit("main moves");

        const range = resolveGitRange(git, "main...feature");
        expect(range).toEqual({ before: base, after: expect.any(String) });
        const changes = gitChanges(git, range as { before: string; after: string }, ["tenants"]);
        expect(changes).toEqual(
            expect.arrayContaining([
                { kind: "tenant", path: "tenants/moved.yaml", before: ["prod-a"], after: ["prod-b"] },
                { kind: "tenant", path: "tenants/gone.yaml", before: ["prod-b"], after: undefined },
                { kind: "tenant", path: "tenants/new.yaml", before: undefined, after: ["prod-c"] },
                { kind: "tenant", path: "tenants/renamed.yaml", before: ["prod-c"], after: undefined },
                { kind: "tenant", path: "tenants/renamed-too.yaml", before: undefined, after: ["prod-c"] },
                { kind: "unreadable tenant", path: "tenants/broken.yaml" },
                { kind: "stack settings", stack: "prod-a" },
                { kind: "inert", path: "docs/notes.md" },
            ]),
        );
        // main's own change to the program is not the branch's.
        expect(changes).toHaveLength(8);
        expect(
            gitChanges(git, resolveGitRange(git, "main..feature") as { before: string; after: string }, [
                "tenants",
            ]),
        ).toContainEqual({
            kind: "program",
            path: "index.ts",
        });
    });

    test("a revision that is not there is named, with how to get it", () => {
        expect(resolveGitRange(git, "origin/main...HEAD")).toEqual({
            error: '--changed origin/main...HEAD: "origin/main" is not a revision of this repository (fetch it first, e.g. git fetch origin main)',
        });
    });
});
