import { dockerLogsArgs, parseLogsRequest } from "../../../lib/logs/logsRequest";

const stacks = ["dev", "prod"];

function request(argv: string[]) {
    const parsed = parseLogsRequest(argv, stacks);
    if (!parsed.ok) {
        throw new Error(parsed.message);
    }
    return parsed.request;
}

function refusal(argv: string[]): string {
    const parsed = parseLogsRequest(argv, stacks);
    if (parsed.ok) {
        throw new Error(`accepted ${argv.join(" ")}`);
    }
    return parsed.message;
}

describe("parseLogsRequest", () => {
    test("a stack and a tenant read the whole log of the tenant's container once", () => {
        const r = request(["-s", "prod", "shop-a"]);
        expect(r).toEqual({
            stack: "prod",
            tenant: "shop-a",
            container: "zc-shop-a",
            follow: false,
            json: false,
        });
        expect(dockerLogsArgs(r)).toEqual(["logs", "zc-shop-a"]);
    });

    test("--since, -f and --json reach docker logs and the output", () => {
        const r = request(["shop-a", "--stack", "dev", "--since", "1h30m", "-f", "--json"]);
        expect(r).toMatchObject({ since: "1h30m", follow: true, json: true });
        expect(dockerLogsArgs(r)).toEqual(["logs", "--since", "1h30m", "--follow", "zc-shop-a"]);
    });

    test.each(["90s", "30m", "2h", "2026-12-01", "2026-12-01T08:00:00Z", "2026-12-01T08:00:00.5+01:00"])(
        "--since %s is accepted",
        (since) => {
            expect(request(["-s", "dev", "shop-a", "--since", since]).since).toBe(since);
        },
    );

    test.each(["1 hour", "1d", "yesterday", "1h-1m", "1h;rm"])(
        "--since %s is refused, with the forms it takes",
        (since) => {
            expect(refusal(["-s", "dev", "shop-a", "--since", since])).toMatch(
                /is neither a duration .* nor a time/,
            );
        },
    );

    test("refuses a missing or unknown stack, naming the stacks there are", () => {
        expect(refusal(["shop-a"])).toMatch(/^name the stack with -s <stack> \(known stacks: dev, prod\)/);
        expect(refusal(["-s", "staging", "shop-a"])).toBe(
            'stack "staging" does not exist (no Pulumi.staging.yaml); known stacks: dev, prod',
        );
    });

    test("refuses anything but one tenant name", () => {
        expect(refusal(["-s", "dev"])).toMatch(/^name one tenant/);
        expect(refusal(["-s", "dev", "a", "b"])).toMatch(/^name one tenant/);
        expect(refusal(["-s", "dev", "../etc"])).toMatch(/is not a tenant name/);
        expect(refusal(["-s", "dev", "shop-a", "--tail", "5"])).toMatch(/Unknown option '--tail'/);
    });
});
