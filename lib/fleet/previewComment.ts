import { HostOutcome } from "./hostOutcome";

/** The first line of the comment: the pull request's one preview comment is found, and replaced, by it. */
export const previewCommentMarker = "<!-- zeptoclaw-fleet preview -->";

/** The columns of the table, each Pulumi's operation kinds it counts (OpType in the Automation API). */
const columns: ReadonlyArray<[string, ReadonlyArray<string>]> = [
    ["create", ["create"]],
    ["update", ["update"]],
    ["replace", ["replace"]],
    ["delete", ["delete"]],
    ["same", ["same"]],
];

/** A host's preview, as the comment shows it. */
export interface PreviewedHost extends HostOutcome {
    /** Pulumi's count per operation kind; undefined when the preview failed. */
    changes?: Readonly<Record<string, number | undefined>>;
}

export interface PreviewCommentInput {
    environment: string;
    /** The git range the hosts were chosen by, when they were. */
    changed?: string;
    /** Every host stack of the environment. */
    hostCount: number;
    previews: ReadonlyArray<PreviewedHost>;
}

/** Markdown text in a table cell: pipes escaped, line breaks as spaces. */
function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

/**
 * The pull request's preview comment, in Markdown: per host stack, what its `pulumi preview`
 * would create, update, replace and delete, then why any host failed. What a replace and a delete
 * mean for tenants is said once, under the table.
 */
export function renderPreviewComment(input: PreviewCommentInput): string {
    const { environment, changed, previews } = input;
    const scope =
        changed === undefined
            ? `every host of ${environment} (${previews.length})`
            : `the hosts of ${environment} that \`${changed}\` changes: ${previews.length} of ${input.hostCount}`;
    const lines = [previewCommentMarker, `### Fleet preview: ${environment}`, "", `Previewed ${scope}.`, ""];
    if (previews.length === 0) {
        lines.push(`Nothing of this pull request reaches a host of ${environment}: no host to preview.`);
        return `${lines.join("\n")}\n`;
    }
    lines.push(
        `| host | result | ${columns.map(([name]) => name).join(" | ")} |`,
        `| --- | --- | ${columns.map(() => "---:").join(" | ")} |`,
    );
    for (const host of previews) {
        const counts = columns.map(([, kinds]) =>
            host.changes === undefined
                ? ""
                : String(kinds.reduce((sum, k) => sum + (host.changes?.[k] ?? 0), 0)),
        );
        const result = host.result === "ok" ? "ok" : `**${host.result}**`;
        lines.push(`| ${cell(host.stack)} | ${result} | ${counts.join(" | ")} |`);
    }
    const failed = previews.filter((p) => p.result === "failed");
    if (failed.length > 0) {
        lines.push("", ...failed.map((p) => `- **${cell(p.stack)}** failed: ${cell(p.detail)}`));
    }
    lines.push(
        "",
        "A replace restarts that tenant (its config, image or limits changed); a delete of a tenant's " +
            "volume, or of a server, Volume or IPv4, puts data at risk: stop and ask before merging.",
    );
    return `${lines.join("\n")}\n`;
}
