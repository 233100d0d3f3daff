import { dockerConnection } from "../../../lib/status/dockerConnection";
import { parseStackOutputs } from "../../../lib/status/stackOutputs";
import { prodStack } from "../../support/prodStack";
import { runProgram } from "../../support/runProgram";
import { fleet } from "../../support/tenantFiles";

describe("parseStackOutputs", () => {
    test("reads dockerHost, knownHostsLine and hostName among the other outputs", () => {
        expect(
            parseStackOutputs(
                "prod",
                JSON.stringify({
                    dockerHost: "ssh://root@198.51.100.7",
                    knownHostsLine: "198.51.100.7 ssh-ed25519 AAAA",
                    hostName: "fsn1-a",
                    image: { reference: "r", id: "sha256:1" },
                }),
            ),
        ).toEqual({
            ok: true,
            outputs: {
                dockerHost: "ssh://root@198.51.100.7",
                knownHostsLine: "198.51.100.7 ssh-ed25519 AAAA",
                hostName: "fsn1-a",
            },
        });
        // The dev stack has no SSH: Pulumi prints its undefined outputs as null, or leaves them out.
        expect(
            parseStackOutputs("dev", '{"dockerHost":"unix:///var/run/docker.sock","knownHostsLine":null}'),
        ).toEqual({ ok: true, outputs: { dockerHost: "unix:///var/run/docker.sock" } });
    });

    test("says why outputs cannot be used, and what to run", () => {
        const message = (json: string) => {
            const parsed = parseStackOutputs("dev", json);
            return parsed.ok ? "ok" : parsed.message;
        };
        expect(message("{}")).toMatch(
            /stack "dev" has no outputs: it has not been deployed yet \(pulumi up -s dev\)/,
        );
        expect(message('{"hostName":"local"}')).toMatch(
            /has no dockerHost output: .* run pulumi up -s dev once/,
        );
        expect(message('{"dockerHost":42}')).toMatch(/not what this program writes \(dockerHost: /);
        expect(message("Warning: not json")).toMatch(/did not print JSON/);
    });
});

describe("the program's outputs are what npm run status reads", () => {
    test("dev: the local engine, directly", async () => {
        const run = await runProgram(fleet(["shop-a"]));
        const parsed = parseStackOutputs("dev", JSON.stringify(run.outputs));
        expect(parsed.ok && dockerConnection("dev", parsed.outputs)).toEqual({
            ok: true,
            connection: { kind: "direct", dockerHost: "unix:///var/run/docker.sock" },
        });
        expect(parsed.ok && parsed.outputs.hostName).toBe("local");
    });

    test("prod: the server over SSH, pinned to the key the program generated", async () => {
        const run = await runProgram({
            stack: "prod",
            ...fleet(["shop-a"]),
            config: prodStack,
        });
        const parsed = parseStackOutputs("prod", JSON.stringify(run.outputs));
        expect(parsed.ok && dockerConnection("prod", parsed.outputs)).toEqual({
            ok: true,
            connection: {
                kind: "ssh",
                dockerHost: "ssh://root@198.51.100.7",
                knownHosts: "198.51.100.7 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockHostKey\n",
            },
        });
    });
});
