import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { chromium } from "playwright-core";
import { healthPort } from "../../lib/docker/tenantContainers";
import { backupRecordPath } from "../../lib/status/backupRecord";
import { StatusJson } from "../../lib/status/statusJson";
import { runProgram } from "../support/runProgram";
import { runnableSecretsFor, runnableSettings, tenantYaml } from "../support/tenantFiles";
import { EngineAdapter, removeLabelled, testLabel } from "./support/engineAdapter";
import { engineEvents, execIn } from "./support/engineHelpers";
import { operatorProject } from "./support/operatorProject";

// Real containers: the first health probe runs after the 30 s interval the program declares.
jest.setTimeout(5 * 60_000);

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const adapter = new EngineAdapter(docker, `status-${process.pid}`);
let configRoot = "";
let workspace = "";
let project: ReturnType<typeof operatorProject>;
/** Deployed: a (backed up), b (stopped), c (deployed, then no longer declared). Declared, never deployed: d. */
const deployed = ["status-a", "status-b", "status-c"];

const settings = runnableSettings();

function file(name: string, resources: Record<string, number> = {}): string {
    return tenantYaml(name, { stacks: ["dev"], zeptoclaw: settings, resources });
}

/** Leftovers of an aborted earlier run of this suite only: other suites' objects are not touched. */
async function removeOwnLeftovers(): Promise<void> {
    for (const c of await docker.listContainers({ all: true, filters: { label: [testLabel] } })) {
        if (deployed.includes(c.Labels["com.zeptoclaw.tenant"] ?? "")) {
            await docker.getContainer(c.Id).remove({ force: true, v: true });
        }
    }
    for (const v of (await docker.listVolumes({ filters: { label: [testLabel] } })).Volumes ?? []) {
        if (deployed.map((t) => `${t}-data`).includes(v.Name)) {
            await docker.getVolume(v.Name).remove();
        }
    }
}

beforeAll(async () => {
    await removeLabelled(docker, adapter.runId);
    await removeOwnLeftovers();
    configRoot = fs.mkdtempSync(path.join(os.tmpdir(), "zc-status-config-"));
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), "zc-status-ws-"));
    // The operator's project: status-c left the stack, status-d joined it but is not deployed yet.
    project = operatorProject(
        workspace,
        Object.fromEntries(["status-a", "status-b", "status-d"].map((name) => [`${name}.yaml`, file(name)])),
    );
});

afterAll(async () => {
    await adapter.removeEverything();
    fs.rmSync(configRoot, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
});

/** Writes a file into the root of a tenant's volume from the host, as root, as the backup script does. */
async function writeIntoVolume(tenant: string, content: string): Promise<void> {
    const { Mountpoint } = await docker.getVolume(`${tenant}-data`).inspect();
    const target = path.join(Mountpoint, path.basename(backupRecordPath));
    fs.writeFileSync(target, content, { mode: 0o644 });
    fs.chownSync(target, 0, 0);
}

/** Exec events in the tenants' containers between two times, health probes left out. */
async function execsIn(containers: string[], since: number, until: number): Promise<string[]> {
    const events = await engineEvents(
        docker,
        { type: ["container"], event: ["exec_create"], container: containers },
        Math.floor(since / 1000),
        Math.ceil(until / 1000),
    );
    return events.map((e) => e.Action).filter((action) => !action.includes(`127.0.0.1:${healthPort}/readyz`));
}

test("npm run status shows each tenant's state, health, limits, data and last backup over the stack's connection", async () => {
    const run = await runProgram({
        stack: "dev",
        tenantFiles: {
            "status-a.yaml": file("status-a", { memoryMb: 256 }),
            "status-b.yaml": file("status-b"),
            "status-c.yaml": file("status-c"),
        },
        tenantSecrets: runnableSecretsFor(deployed),
        config: { configRoot, imageSource: "build", imageContext: "tests/fixtures/zeptoclaw-standin" },
    });
    await adapter.apply(run);

    const backedUpAt = new Date(Date.now() - 3 * 3_600_000 - 60_000);
    await writeIntoVolume(
        "status-a",
        `${JSON.stringify({ time: backedUpAt.toISOString().replace(/\.\d+Z$/, "Z"), snapshot: "a1b2c3d4", bytes: 4096 })}\n`,
    );
    await writeIntoVolume("status-c", "{ this is not json");
    await docker.getContainer("zc-status-b").stop({ t: 5 });

    const started = Date.now();
    const result = project.run("status.ts", ["-s", "dev"]);
    const finished = Date.now();
    process.stdout.write(`npm run status took ${finished - started} ms:\n${result.stdout}`);
    expect(result.stderr).toBe("");
    // status-b is stopped and status-d missing: the exit status says some tenants need attention.
    expect(result.status).toBe(3);

    const lines = result.stdout.trimEnd().split("\n");
    const cells = (tenant: string) => lines.find((l) => l.startsWith(`${tenant} `))?.split(/\s{2,}/);
    expect(lines[0].split(/\s{2,}/)).toEqual([
        "TENANT",
        "STATE",
        "HEALTH",
        "RESTARTS",
        "MEMORY",
        "CPU",
        "DATA",
        "LAST-BACKUP",
        "RSS",
        "REQUESTS",
        "TOKENS-IN/OUT",
        "TOOL-CALLS",
        "ERRORS",
    ]);
    // The probe that found a gateway healthy carried its report: counters since it started.
    const fresh = [expect.stringMatching(/^\d+(\.\d)? MiB$/), "0", "0/0", "0", "0"];
    const size = /^\d+(\.\d)? (B|KiB|MiB)$/;
    expect(cells("status-a")).toEqual([
        "status-a",
        "running",
        "healthy",
        "0",
        expect.stringMatching(/^\d+(\.\d)?\/256 MiB$/),
        expect.stringMatching(/^\d+\.\d%\/0\.25 cpu$/),
        expect.stringMatching(size),
        `${backedUpAt.toISOString().slice(0, 16).replace("T", " ")} UTC (3h ago)`,
        ...fresh,
    ]);
    expect(cells("status-b")).toEqual([
        "status-b",
        "exited",
        "-",
        "0",
        "-/128 MiB",
        "-/0.25 cpu",
        expect.stringMatching(size),
        "never",
        "-",
        "-",
        "-",
        "-",
        "-",
    ]);
    expect(cells("status-d")).toEqual(["status-d", "missing", ...Array.from({ length: 11 }, () => "-")]);
    expect(cells("status-c")).toEqual([
        "status-c (not declared)",
        "running",
        "healthy",
        "0",
        expect.stringMatching(/^\d+(\.\d)?\/128 MiB$/),
        expect.stringMatching(/^\d+\.\d%\/0\.25 cpu$/),
        expect.stringMatching(size),
        "malformed record: not JSON",
        ...fresh,
    ]);
    // Declared tenants first, by name; then the undeclared ones.
    expect(lines.indexOf(lines.find((l) => l.startsWith("status-d "))!)).toBeLessThan(
        lines.indexOf(lines.find((l) => l.startsWith("status-c "))!),
    );
    expect(lines[lines.length - 1]).toMatch(
        /^3 declared: 1 running, 0 unhealthy, 1 missing; \d+ not declared$/,
    );

    // Read through the archive API only: nothing was executed in a tenant's container.
    expect(await execsIn(["zc-status-a", "zc-status-b", "zc-status-c"], started, finished + 1000)).toEqual(
        [],
    );
});

test("npm run status -- --json gives each gateway's own figures from Docker's last probe, without exec", async () => {
    // As if status-a had served a few messages: the stand-in adds to the counters upstream's
    // agent loop keeps (tests/fixtures/zeptoclaw-standin: /standin/usage).
    const posted = Date.now();
    const added = { requests: 12, tool_calls: 4, input_tokens: 5400, output_tokens: 1200, errors: 1 };
    const post = await execIn(docker, "zc-status-a", [
        "wget",
        "-qO-",
        `--post-data=${JSON.stringify(added)}`,
        `http://127.0.0.1:${healthPort}/standin/usage`,
    ]);
    expect(post.code).toBe(0);
    // The next probe (every 30 s) carries the new counters.
    const deadline = Date.now() + 120_000;
    const probedSince = async () =>
        ((await docker.getContainer("zc-status-a").inspect()).State.Health?.Log ?? []).some(
            (p: { End: string }) => new Date(p.End).getTime() > posted,
        );
    while (!(await probedSince()) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
    }

    const started = Date.now();
    const result = project.run("status.ts", ["-s", "dev", "--json"]);
    const finished = Date.now();
    expect(result.stderr).toBe("");
    expect(result.status).toBe(3);
    const json = JSON.parse(result.stdout) as StatusJson;
    const tenant = (name: string) => json.tenants.find((t) => t.tenant === name);
    expect(tenant("status-a")?.gateway).toEqual({
        requests: 12,
        toolCalls: 4,
        inputTokens: 5400,
        outputTokens: 1200,
        errors: 1,
        rssBytes: expect.any(Number),
        reportedAt: expect.any(String),
    });
    expect(new Date(tenant("status-a")!.gateway!.reportedAt).getTime()).toBeGreaterThan(posted);
    expect(tenant("status-a")!.gateway!.rssBytes).toBeGreaterThan(1024 * 1024);
    // status-c's counters are its own: nothing added there.
    expect(tenant("status-c")?.gateway).toMatchObject({ requests: 0, toolCalls: 0, errors: 0 });
    expect(tenant("status-b")).toMatchObject({ state: "exited", gateway: null });
    expect(tenant("status-d")).toMatchObject({ state: "missing", gateway: null });
    expect(json.summary).toMatchObject({ declared: 3, running: 1, missing: 1 });

    expect(await execsIn(["zc-status-a", "zc-status-b", "zc-status-c"], started, finished + 1000)).toEqual(
        [],
    );
});

test("npm run status -- --html writes one page a browser shows whole: each tenant, what needs a look, nothing fetched", async () => {
    const page = path.join(workspace, "status.html");
    const result = project.run("status.ts", ["-s", "dev", "--html", page]);
    expect(result.status).toBe(3);
    // Debian's Chromium, headless, driven by playwright-core (no browser download).
    const browser = await chromium.launch({
        executablePath: "/usr/bin/chromium",
        args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    });
    try {
        const tab = await browser.newPage();
        const requested: string[] = [];
        tab.on("request", (request) => requested.push(request.url()));
        const url = `file://${page}`;
        await tab.goto(url);
        // One request: the page itself. No style, font, script or image comes from anywhere.
        expect(requested).toEqual([url]);
        expect(await tab.textContent("#overview")).toMatch(
            /^1 host\(s\), 4 tenant\(s\), read .* UTC; 3 need\(s\) a look\.$/,
        );
        const row = (tenant: string) => tab.locator(`tr[data-tenant="${tenant}"]`);
        // status-a runs well: healthy, within its memory, backed up three hours ago.
        expect(await row("status-a").getAttribute("class")).toBe("ok");
        // The cells as a person sees them.
        const cells = await row("status-a").locator("td").allInnerTexts();
        expect(cells.slice(0, 3)).toEqual(["status-a", "running", "healthy"]);
        expect(cells[4].trim()).toMatch(/^\d+(\.\d)? MiB \/ 256 MiB$/);
        expect(cells[7]).toMatch(/ UTC \(3h ago\)$/);
        expect(await row("status-b").locator("li").allInnerTexts()).toEqual([
            "not running (exited)",
            "never backed up",
        ]);
        expect(await row("status-d").locator("li").allInnerTexts()).toEqual([
            "declared, but it has no container",
        ]);
        expect(await row("status-c").locator("li").allInnerTexts()).toEqual([
            "no tenant file declares it",
            "backup record malformed: not JSON",
        ]);
        expect(await tab.locator("#attention li").count()).toBe(3);
        // A person can read it: the table is laid out, wider than it is tall for a few tenants.
        const box = await tab.locator("section.host table").boundingBox();
        expect(box!.width).toBeGreaterThan(box!.height);
    } finally {
        await browser.close();
    }
});
