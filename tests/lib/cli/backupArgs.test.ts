import { parseBackupArgs } from "../../../lib/cli/backupArgs";

const remote = (argv: string[]) => {
    const parsed = parseBackupArgs(argv);
    if (!parsed.ok) {
        throw new Error(parsed.message);
    }
    return parsed.args;
};
const refusal = (argv: string[]) => {
    const parsed = parseBackupArgs(argv);
    return parsed.ok ? undefined : parsed.message;
};

describe("parseBackupArgs", () => {
    test("restore and snapshots pass --from-host to the host tool after the tenant, wherever it was given", () => {
        expect(remote(["restore", "-s", "fsn1-b", "--from-host", "fsn1-a", "shop-a", "1a2b3c4d"])).toEqual({
            verb: "restore",
            stack: "fsn1-b",
            remote: ["shop-a", "--from-host", "fsn1-a", "1a2b3c4d"],
        });
        expect(remote(["restore", "shop-a", "--from-host", "fsn1-a", "--stack", "fsn1-b"]).remote).toEqual([
            "shop-a",
            "--from-host",
            "fsn1-a",
        ]);
        expect(remote(["snapshots", "-s", "fsn1-b", "shop-a", "--from-host", "fsn1-a"]).remote).toEqual([
            "shop-a",
            "--from-host",
            "fsn1-a",
        ]);
    });

    test("without --from-host the arguments are what they always were", () => {
        expect(remote(["restore", "-s", "prod", "shop-a", "1a2b3c4d"]).remote).toEqual([
            "shop-a",
            "1a2b3c4d",
        ]);
        expect(remote(["backup", "-s", "prod", "shop-a", "shop-b"]).remote).toEqual(["shop-a", "shop-b"]);
        expect(remote(["backup", "-s", "prod"]).remote).toEqual([]);
    });

    test("a missing stack is left to the caller, which knows the project's stacks", () => {
        expect(remote(["restore", "shop-a"]).stack).toBeUndefined();
    });

    test("only a host name reaches the remote shell after --from-host", () => {
        expect(refusal(["restore", "-s", "b", "shop-a", "--from-host", "a;reboot"])).toMatch(
            /^--from-host takes a host name \(the dead host's hostName\), not "a;reboot"\n/,
        );
        expect(refusal(["restore", "-s", "b", "shop-a", "--from-host", ""])).toMatch(
            /^--from-host takes a host name .*, not ""\n/,
        );
        // Node's parser: a missing value, or an option where the value should be.
        expect(refusal(["restore", "-s", "b", "shop-a", "--from-host"])).toMatch(/argument missing/);
        expect(refusal(["restore", "-s", "b", "shop-a", "--from-host", "-s"])).toMatch(/ambiguous/);
        expect(refusal(["restore", "-s", "b", "shop-a", "--to-host", "a"])).toMatch(
            /Unknown option '--to-host'/,
        );
    });

    test("backup has no --from-host: a host backs up its own tenants only", () => {
        expect(refusal(["backup", "-s", "b", "--from-host", "a"])).toMatch(
            /^--from-host is for restore and snapshots/,
        );
    });

    test("tenant names, snapshot ids and counts are checked as before", () => {
        expect(refusal(["restore", "-s", "b", "shop-a;reboot"])).toMatch(
            /^"shop-a;reboot" is not a tenant name/,
        );
        expect(refusal(["restore", "-s", "b", "shop-a", "--from-host", "a", "$(id)"])).toMatch(
            /^"\$\(id\)" is not a snapshot id/,
        );
        expect(refusal(["restore", "-s", "b", "--from-host", "a"])).toMatch(
            /^restore takes one tenant and, optionally, one snapshot id/,
        );
        expect(refusal(["snapshots", "-s", "b", "shop-a", "shop-b"])).toMatch(/^snapshots takes one tenant/);
        expect(refusal(["prune", "-s", "b"])).toMatch(/^usage: npm run backup/);
    });
});
