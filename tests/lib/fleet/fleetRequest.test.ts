import { parseFleetRequest } from "../../../lib/fleet/fleetRequest";

describe("parseFleetRequest", () => {
    test("an operation, an environment, a range and a parallelism", () => {
        expect(
            parseFleetRequest([
                "preview",
                "-e",
                "prod",
                "--changed",
                "origin/main...HEAD",
                "--parallel",
                "2",
            ]),
        ).toEqual({
            ok: true,
            request: {
                operation: "preview",
                environment: "prod",
                changed: "origin/main...HEAD",
                parallel: 2,
            },
        });
        expect(parseFleetRequest(["up", "-e", "prod"])).toEqual({
            ok: true,
            request: { operation: "up", environment: "prod", changed: undefined, parallel: 4 },
        });
    });

    test.each([
        [[], /^name one operation: preview, up, refresh, status, place \(got none\)/],
        [["destroy", "-e", "prod"], /got destroy/],
        [["up", "down", "-e", "prod"], /got up down/],
        [["up"], /^name the environment with -e <environment>/],
        [
            ["up", "-e", "prod", "--parallel", "0"],
            /^--parallel is a whole number of hosts, 1 or more \(got "0"\)/,
        ],
        [["up", "-e", "prod", "--parallel", "1.5"], /got "1.5"/],
        [["up", "-e", "prod", "--changed", ""], /^--changed needs a git range/],
        [["up", "-e", "prod", "--force"], /Unknown option '--force'/],
        [["place", "-e", "prod", "--changed", "main...HEAD"], /^place looks at every tenant .* no --changed/],
    ])("%j is refused", (argv, message) => {
        const parsed = parseFleetRequest(argv);
        expect(parsed.ok).toBe(false);
        expect(parsed.ok ? "" : parsed.message).toMatch(message);
    });
});
