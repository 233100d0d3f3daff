import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const repo = path.resolve(__dirname, "..", "..");

/** Every TypeScript file of the program and the commands, with what each imports (node's modules too). */
function allImports(): Map<string, string[]> {
    const files: string[] = ["index.ts"];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(path.join(repo, dir), { withFileTypes: true })) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                walk(file);
            } else if (file.endsWith(".ts")) {
                files.push(file);
            }
        }
    };
    ["lib", "components", "scripts", "policy"].forEach(walk);
    return new Map(
        files.map((file) => {
            const imported = ts
                .preProcessFile(fs.readFileSync(path.join(repo, file), "utf8"), true, true)
                .importedFiles.map((i) => i.fileName);
            return [file, imported];
        }),
    );
}

/** The project files each file imports. */
function importGraph(all: Map<string, string[]>): Map<string, string[]> {
    return new Map(
        [...all].map(([file, imported]) => [
            file,
            imported
                .filter((name) => name.startsWith("."))
                .map((name) => path.relative(repo, path.resolve(repo, path.dirname(file), name)))
                .map((name) => (fs.existsSync(path.join(repo, `${name}.ts`)) ? `${name}.ts` : name)),
        ]),
    );
}

/** The import cycles: each a set of files that import each other, round. */
function cycles(graph: Map<string, string[]>): string[][] {
    const found: string[][] = [];
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    let next = 0;
    const visit = (file: string) => {
        index.set(file, next);
        low.set(file, next++);
        stack.push(file);
        onStack.add(file);
        for (const to of (graph.get(file) ?? []).filter((f) => graph.has(f))) {
            if (!index.has(to)) {
                visit(to);
                low.set(file, Math.min(low.get(file)!, low.get(to)!));
            } else if (onStack.has(to)) {
                low.set(file, Math.min(low.get(file)!, index.get(to)!));
            }
        }
        if (low.get(file) === index.get(file)) {
            const members: string[] = [];
            let member: string;
            do {
                member = stack.pop()!;
                onStack.delete(member);
                members.push(member);
            } while (member !== file);
            if (members.length > 1) {
                found.push(members.sort());
            }
        }
    };
    [...graph.keys()].filter((f) => !index.has(f)).forEach(visit);
    return found;
}

describe("the code's layers", () => {
    const all = allImports();
    const graph = importGraph(all);

    test("lib/program/ is the program's: only index.ts, components/ and lib/program/ import it", () => {
        const wrong = [...graph].flatMap(([file, imported]) =>
            imported
                .filter((to) => to.startsWith("lib/program/"))
                .filter(() => !(file === "index.ts" || /^(components|lib\/program)\//.test(file)))
                .map((to) => `${file} -> ${to}`),
        );
        expect(wrong).toEqual([]);
    });

    test("processes are started in one place, lib/cli/processRunner.ts", () => {
        const spawning = [...all]
            .filter(([, imported]) => imported.some((name) => /^(node:)?child_process$/.test(name)))
            .map(([file]) => file);
        expect(spawning).toEqual(["lib/cli/processRunner.ts"]);
    });

    test("no module imports itself back through others", () => {
        expect(cycles(graph)).toEqual([]);
        // The check finds one when there is one.
        expect(
            cycles(
                new Map([
                    ["a.ts", ["b.ts"]],
                    ["b.ts", ["c.ts"]],
                    ["c.ts", ["a.ts"]],
                ]),
            ),
        ).toEqual([["a.ts", "b.ts", "c.ts"]]);
    });

    test("lib/'s folders import only folders of lower layers, as README's layer table says", () => {
        // Rows of README.md such as "| 3     | `lib/docker`   | ...".
        const layers = new Map(
            [
                ...fs
                    .readFileSync(path.join(repo, "README.md"), "utf8")
                    .matchAll(/^\| (\d+) +\| `(lib[^`]*)` +\|/gm),
            ].map((m) => [m[2], Number(m[1])]),
        );
        const folders = new Map<string, Set<string>>();
        for (const [file, imported] of graph) {
            if (file.startsWith("lib/")) {
                const from = path.dirname(file);
                const to = folders.get(from) ?? new Set<string>();
                imported.filter((f) => f.startsWith("lib/")).forEach((f) => to.add(path.dirname(f)));
                to.delete(from);
                folders.set(from, to);
            }
        }
        expect([...folders.keys()].filter((f) => !layers.has(f))).toEqual([]);
        const upward = [...folders].flatMap(([from, to]) =>
            [...to]
                .filter((into) => (layers.get(into) ?? Infinity) >= layers.get(from)!)
                .map((into) => `${from} (layer ${layers.get(from)}) -> ${into} (layer ${layers.get(into)})`),
        );
        expect(upward).toEqual([]);
        expect(cycles(new Map([...folders].map(([from, to]) => [from, [...to]])))).toEqual([]);
    });

    test("imports point down: lib/ imports only lib/; components/ only lib/ and components/; no one imports a command", () => {
        const wrong = [...graph].flatMap(([file, imported]) =>
            imported
                .filter((to) => {
                    const [from, into] = [file.split("/")[0], to.split("/")[0]];
                    if (into === "scripts") {
                        return from !== "scripts";
                    }
                    if (from === "lib") {
                        return into !== "lib";
                    }
                    return from === "components" && into !== "lib" && into !== "components";
                })
                .map((to) => `${file} -> ${to}`),
        );
        expect(wrong).toEqual([]);
    });
});
