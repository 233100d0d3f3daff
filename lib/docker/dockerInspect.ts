import { z } from "zod";

/**
 * Reads what `docker inspect` printed against `schema`: each reader names the fields it reads,
 * loosely (Docker versions add others). Throws naming the first field that does not fit, so a
 * changed Docker is named, not misread.
 */
export function readDockerInspect<T extends z.ZodType>(json: string, schema: T): z.infer<T> {
    const result = schema.safeParse(JSON.parse(json));
    if (!result.success) {
        const issue = result.error.issues[0];
        throw new Error(
            `docker inspect printed something unexpected at ${issue.path.join(".")}: ${issue.message}`,
        );
    }
    return result.data;
}
