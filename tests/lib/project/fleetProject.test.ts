import * as fs from "node:fs";
import * as path from "node:path";
import {
    projectEnvironments,
    readFleetProject,
    stackSettings,
    stackTenants,
    tenantsDirOf,
} from "../../../lib/project/fleetProject";
import { tenantYaml } from "../../support/tenantFiles";
import { tempDir } from "../../support/tempDir";

/** A project folder holding these stack files (name to text) and these tenant files. */
function project(stackFiles: Record<string, string>, tenants: Record<string, string> = {}): string {
    const root = tempDir("zc-project-");
    fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: zeptoclaw-fleet\nruntime: nodejs\n");
    for (const [name, text] of Object.entries(stackFiles)) {
        fs.writeFileSync(path.join(root, name), text);
    }
    for (const [name, text] of Object.entries(tenants)) {
        fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
        fs.writeFileSync(path.join(root, name), text);
    }
    return root;
}

const inProd = (dir?: string) =>
    `config:\n    zeptoclaw-fleet:environment: prod\n${dir === undefined ? "" : `    zeptoclaw-fleet:tenantsDir: ${dir}\n`}`;

describe("readFleetProject", () => {
    test("every stack file once, .yaml or .yml, with its environment and tenants folder", () => {
        const root = project({
            "Pulumi.dev.yaml": "config: {}\n",
            "Pulumi.prod-a.yml": inProd(),
            "Pulumi.prod-b.yaml": inProd(),
        });
        const read = readFleetProject(root);
        expect(read).toEqual({
            root,
            files: new Map([
                ["dev", { ok: true, values: {} }],
                ["prod-a", { ok: true, values: { environment: "prod" } }],
                ["prod-b", { ok: true, values: { environment: "prod" } }],
            ]),
            stacks: ["dev", "prod-a", "prod-b"],
            hosts: [
                { stack: "dev", environment: "dev", tenantsDir: "tenants" },
                { stack: "prod-a", environment: "prod", tenantsDir: "tenants" },
                { stack: "prod-b", environment: "prod", tenantsDir: "tenants" },
            ],
            problems: [],
        });
        expect(projectEnvironments(read)).toEqual(["dev", "prod"]);
    });

    test("a stack file that cannot be read is a problem of its stack, and the others are read", () => {
        const read = readFleetProject(
            project({ "Pulumi.dev.yaml": "config: [\n", "Pulumi.prod.yaml": inProd() }),
        );
        expect(read.hosts.map((h) => h.stack)).toEqual(["prod"]);
        expect(read.problems).toEqual([
            expect.objectContaining({
                stack: "dev",
                where: "Pulumi.dev.yaml",
                message: expect.stringMatching(/YAML/),
            }),
        ]);
        expect(tenantsDirOf(read, ["dev"])).toEqual({
            ok: false,
            message: expect.stringMatching(/^Pulumi\.dev\.yaml: is not valid YAML/),
        });
        expect(tenantsDirOf(read, ["prod"])).toEqual({ ok: true, dir: "tenants" });
    });
});

describe("stackSettings", () => {
    test("a stack's settings from the file read with the project; an unknown stack is refused by its file", () => {
        const read = readFleetProject(
            project({ "Pulumi.prod-a.yml": "config:\n    zeptoclaw-fleet:hostMemoryMb: 8192\n" }),
        );
        const settings = stackSettings(read, "prod-a");
        expect(settings.ok && settings.config).toMatchObject({ hostKind: "local", hostMemoryMb: 8192 });
        expect(stackSettings(read, "prod-b")).toEqual({
            ok: false,
            problems: [{ where: "Pulumi.prod-b.yaml", path: "", message: "does not exist" }],
        });
    });
});

describe("tenantsDirOf", () => {
    test("one folder for the stacks a command names; refused when they read different ones", () => {
        const read = readFleetProject(
            project({
                "Pulumi.a.yaml": inProd("shops"),
                "Pulumi.b.yaml": inProd("shops"),
                "Pulumi.c.yaml": inProd(),
            }),
        );
        expect(tenantsDirOf(read, ["a", "b"])).toEqual({ ok: true, dir: "shops" });
        expect(tenantsDirOf(read, [])).toEqual({ ok: true, dir: "tenants" });
        expect(tenantsDirOf(read, ["a", "c"])).toEqual({
            ok: false,
            message: "a reads shops, c reads tenants: one command works on one tenants folder",
        });
    });
});

describe("stackTenants", () => {
    test("the tenants a stack runs, from its own folder, validated; a missing folder is named", () => {
        const root = project(
            {
                "Pulumi.dev.yaml": "config:\n    zeptoclaw-fleet:tenantsDir: shops\n",
                "Pulumi.prod.yaml": inProd(),
            },
            {
                "shops/shop-a.yaml": tenantYaml("shop-a", { stacks: ["dev"] }),
                "shops/shop-b.yaml": tenantYaml("shop-b", { stacks: ["prod"] }),
            },
        );
        const read = readFleetProject(root);
        const dev = stackTenants(read, "dev");
        expect(dev.ok && dev.selection.tenants.map((t) => t.name)).toEqual(["shop-a"]);
        expect(dev.ok && dev.selection.problems).toEqual([]);
        expect(stackTenants(read, "prod")).toEqual({
            ok: false,
            message: expect.stringMatching(
                /^there is no tenants\/ folder here \(the tenants folder of stack "prod"\)/,
            ),
        });
    });
});
