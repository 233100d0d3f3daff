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
export function problemsFromZod(
    where: string,
    error: z.ZodError,
    prefix: ReadonlyArray<PropertyKey> = [],
): InputProblem[] {
    return error.issues.flatMap((issue) => {
        if (issue.code === "unrecognized_keys") {
            return issue.keys.map((key) => ({
                where,
                path: formatPath([...prefix, ...issue.path, key]),
                message: `unknown key "${key}". Remove it or fix its spelling (ZeptoClaw would ignore it silently)`,
            }));
        }
        // A bad map key would read "Invalid key in record"; the key's own rule says more.
        const message =
            issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
        return [{ where, path: formatPath([...prefix, ...issue.path]), message }];
    });
}

export function describeProblem(problem: InputProblem): string {
    const location = problem.path === "" ? problem.where : `${problem.where}: ${problem.path}`;
    return `${location}: ${problem.message}`;
}

/** A thousand identical lines hide the first one; the rest follow once these are fixed. */
export const maxListedProblems = 30;

/**
 * One RunError listing every problem, so that a preview shows all mistakes at once instead of one
 * per run. RunError prints without a stack trace: the message is the whole story.
 */
export function inputError(problems: ReadonlyArray<InputProblem>): pulumi.RunError {
    const lines = problems.slice(0, maxListedProblems).map((p) => `  - ${describeProblem(p)}`);
    if (problems.length > maxListedProblems) {
        lines.push(`  - ... and ${problems.length - maxListedProblems} more like these`);
    }
    const noun = problems.length === 1 ? "problem" : "problems";
    return new pulumi.RunError(
        `zeptoclaw-fleet: ${problems.length} ${noun} in the input:\n${lines.join("\n")}`,
    );
}

/** Throws `inputError(problems)` when there is any problem. */
export function failOnProblems(problems: ReadonlyArray<InputProblem>): void {
    if (problems.length > 0) {
        throw inputError(problems);
    }
}
