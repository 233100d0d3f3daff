import { renderPreviewComment } from "../../../lib/fleet/previewComment";

describe("the pull request's preview comment", () => {
    test("a table of what each host's preview would do, the failures below it, behind the marker that finds it again", () => {
        const comment = renderPreviewComment({
            environment: "prod",
            changed: "origin/main...HEAD",
            hostCount: 4,
            previews: [
                {
                    stack: "prod-a",
                    result: "ok",
                    detail: "1 create, 2 replace, 40 same",
                    seconds: 3.2,
                    changes: { create: 1, replace: 2, same: 40 },
                },
                {
                    stack: "prod-b",
                    result: "failed",
                    detail: "error: tenants/shop-x.yaml: resources.memoryMb: | is not a number\n  (fix it)",
                    seconds: 1.1,
                },
            ],
        });
        expect(comment).toBe(
            [
                "<!-- zeptoclaw-fleet preview -->",
                "### Fleet preview: prod",
                "",
                "Previewed the hosts of prod that `origin/main...HEAD` changes: 2 of 4.",
                "",
                "| host | result | create | update | replace | delete | same |",
                "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
                "| prod-a | ok | 1 | 0 | 2 | 0 | 40 |",
                "| prod-b | **failed** |  |  |  |  |  |",
                "",
                "- **prod-b** failed: error: tenants/shop-x.yaml: resources.memoryMb: \\| is not a number (fix it)",
                "",
                "A replace restarts that tenant (its config, image or limits changed); a delete of a tenant's volume, " +
                    "or of a server, Volume or IPv4, puts data at risk: stop and ask before merging.",
                "",
            ].join("\n"),
        );
    });

    test("without a git range every host is previewed; when the range reaches none, it says so", () => {
        const all = renderPreviewComment({
            environment: "dev",
            hostCount: 1,
            previews: [{ stack: "dev", result: "ok", detail: "no resources", seconds: 1, changes: {} }],
        });
        expect(all).toContain("Previewed every host of dev (1).");
        expect(all).toContain("| dev | ok | 0 | 0 | 0 | 0 | 0 |");
        const none = renderPreviewComment({
            environment: "prod",
            changed: "a..b",
            hostCount: 2,
            previews: [],
        });
        expect(none).toBe(
            "<!-- zeptoclaw-fleet preview -->\n### Fleet preview: prod\n\nPreviewed the hosts of prod that `a..b` changes: 0 of 2.\n\n" +
                "Nothing of this pull request reaches a host of prod: no host to preview.\n",
        );
    });
});
