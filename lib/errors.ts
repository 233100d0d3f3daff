import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/** One thing wrong with the operator's input: where it is, what is wrong, how to fix it. */
export interface InputProblem {
    /** The file or stack config key, e.g. `tenants/shop-ahmad.yaml` or `zeptoclaw-fleet:serverType`. */
    where: string;
    /** Dotted path inside that file or key, empty for the whole thing. */
    path: string;
    message: string;
}

/** Formats a path such as ["zeptoclaw", "channels", "telegram", "token"] or ["stacks", 1]. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
    return path.reduce<string>((out, part) => {
        if (typeof part === "number") {
            return `${out}[${part}]`;
        }
        return out === "" ? String(part) : `${out}.${String(part)}`;
    }, "");
}

/** Turns zod's issues into problems that name the file or key and the path inside it. */
export function problemsFromZod(where: string, error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): InputProblem[] {
    return error.issues.flatMap((issue) => {
        if (issue.code === "unrecognized_keys") {
            return issue.keys.map((key) => ({
                where,
                path: formatPath([...prefix, ...issue.path, key]),
                message: `unknown key "${key}". Remove it or fix its spelling (ZeptoClaw would ignore it silently)`,
            }));
        }
        return [{ where, path: formatPath([...prefix, ...issue.path]), message: issue.message }];
    });
}

export function describeProblem(problem: InputProblem): string {
    const location = problem.path === "" ? problem.where : `${problem.where}: ${problem.path}`;
    return `${location}: ${problem.message}`;
}

/**
 * One RunError listing every problem, so that a preview shows all mistakes at once instead of one
 * per run. RunError prints without a stack trace: the message is the whole story.
 */
export function inputError(problems: ReadonlyArray<InputProblem>): pulumi.RunError {
    const lines = problems.map((p) => `  - ${describeProblem(p)}`);
    const noun = problems.length === 1 ? "problem" : "problems";
    return new pulumi.RunError(`zeptoclaw-fleet: ${problems.length} ${noun} in the input:\n${lines.join("\n")}`);
}

/** Throws `inputError(problems)` when there is any problem. */
export function failOnProblems(problems: ReadonlyArray<InputProblem>): void {
    if (problems.length > 0) {
        throw inputError(problems);
    }
}
