import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { capacityProblems, smallestServerTypeHolding, tenantsThatFit } from "../../lib/capacity/capacity";
import { configWriterArgs, managedMarker } from "../../lib/docker/configWriter";
import { renderCloudInit } from "../../lib/host/cloudInit";
import { renderConfigureScript } from "../../lib/host/configureHost";
import { renderHostFiles } from "../../lib/host/hostFiles";
import { addressesPerNetwork, renderDaemonConfig } from "../../lib/host/daemonConfig";
import { pinnedHostKeySshOptions } from "../../lib/host/sshOptions";
import { renderTenantFirewallScript } from "../../lib/host/tenantFirewall";
import { renderWatchdogScript } from "../../lib/host/watchdog";
import { parseTenantFile } from "../../lib/tenants/parseTenantFile";
import { Tenant } from "../../lib/tenants/tenant";
import { unrestrictedPolicy } from "../../lib/zeptoclaw/fleetPolicy/fleetPolicy";
import { renderZeptoClawConfig, renderZeptoClawConfigJson } from "../../lib/zeptoclaw/renderConfig";
import { collectSecretUses } from "../../lib/zeptoclaw/secretRefs";
import { tenantYaml } from "../support/tenantFiles";

function tenant(name: string, overrides: Record<string, unknown> = {}): Tenant {
    const parsed = parseTenantFile(`tenants/${name}.yaml`, tenantYaml(name, overrides));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const t = parsed.tenant;
    return {
        name,
        file: `tenants/${name}.yaml`,
        uid: 10_000_001,
        zeptoclaw: t.zeptoclaw,
        resources: t.resources,
        labels: t.labels,
    };
}

describe("renderZeptoClawConfig", () => {
    const secrets = { anthropicApiKey: "sk-ant-A", telegramBotToken: "123:TG" };

    test("renders a tenant ZeptoClaw 0.9.2 starts: upstream's default model, no search block, JSON logs", () => {
        expect(renderZeptoClawConfig(tenant("shop-a").zeptoclaw, secrets, unrestrictedPolicy)).toEqual({
            agents: {
                defaults: {
                    workspace: "/data/workspace",
                    model: "claude-sonnet-4-6",
                    max_tokens: 8192,
                    temperature: 0.7,
                    max_tool_iterations: 20,
                },
            },
            agent_mode: { mode: "assistant" },
            providers: { anthropic: { api_key: "sk-ant-A" } },
            channels: { telegram: { enabled: true, token: "123:TG", allow_from: [] } },
            tools: { deny: [] },
            heartbeat: { enabled: false, interval_secs: 1800 },
            skills: { enabled: true },
            swarm: { enabled: true, max_concurrent: 3 },
            logging: { format: "json" },
        });
    });

    test("renders Google Sheets, WhatsApp sending and Brave search blocks", () => {
        const t = tenant("shop-w", {
            zeptoclaw: {
                providers: { anthropic: { api_key: { secret: "a" } } },
                tools: {
                    web: { search: { api_key: { secret: "brave" }, max_results: 3 } },
                    whatsapp: { phone_number_id: "111", access_token: { secret: "wa" } },
                    google_sheets: { access_token: { secret: "sheets" } },
                },
            },
        });
        expect(collectSecretUses(t.zeptoclaw).map((u) => u.name)).toEqual(["a", "brave", "wa", "sheets"]);
        const config = renderZeptoClawConfig(
            t.zeptoclaw,
            { a: "A", brave: "BR", sheets: "SH", wa: "WA" },
            unrestrictedPolicy,
        ) as Record<string, any>;
        expect(config.tools).toEqual({
            deny: [],
            web: { search: { api_key: "BR", provider: "brave", max_results: 3 } },
            whatsapp: { phone_number_id: "111", access_token: "WA" },
            google_sheets: { access_token: "SH" },
        });
    });

    test("gives the same bytes whatever the order of keys in the tenant file", () => {
        const settings = {
            providers: { anthropic: { api_key: { secret: "anthropicApiKey" }, model: "claude-opus-4-6" } },
            channels: {
                telegram: { enabled: true, token: { secret: "telegramBotToken" }, allow_from: ["1", "2"] },
            },
            agents: {
                defaults: { max_tokens: 4096, model: "claude-sonnet-4-6", system_prompt: "Be brief." },
            },
            tool_profiles: { chat: ["message", "web_search"], all: null },
        };
        const reversed = (value: unknown): unknown =>
            Array.isArray(value)
                ? value
                : typeof value === "object" && value !== null
                  ? Object.fromEntries(
                        Object.entries(value)
                            .reverse()
                            .map(([k, v]) => [k, reversed(v)]),
                    )
                  : value;
        const a = tenant("shop-a", { zeptoclaw: settings });
        const b = tenant("shop-a", { zeptoclaw: reversed(settings) });
        expect(renderZeptoClawConfigJson(b.zeptoclaw, secrets, unrestrictedPolicy)).toBe(
            renderZeptoClawConfigJson(a.zeptoclaw, secrets, unrestrictedPolicy),
        );
        // and the text lists every key in sorted order, at every depth
        const text = renderZeptoClawConfigJson(a.zeptoclaw, secrets, unrestrictedPolicy);
        expect(Object.keys(JSON.parse(text).tool_profiles)).toEqual(["all", "chat"]);
    });
});

describe("capacity", () => {
    const types = [
        {
            name: "cx22",
            memoryMb: 4096,
            cores: 2,
            architecture: "x86",
            deprecated: false,
            locations: ["fsn1"],
        },
        {
            name: "cax31",
            memoryMb: 16384,
            cores: 8,
            architecture: "arm",
            deprecated: false,
            locations: ["fsn1"],
        },
        {
            name: "cx42",
            memoryMb: 16384,
            cores: 8,
            architecture: "x86",
            deprecated: false,
            locations: ["fsn1"],
        },
        {
            name: "cx32",
            memoryMb: 8192,
            cores: 4,
            architecture: "x86",
            deprecated: false,
            locations: ["nbg1"],
        },
    ];
    const fleet = (n: number) => Array.from({ length: n }, (_, i) => tenant(`t-${i}`));

    test("a fleet that fits passes", () => {
        expect(
            capacityProblems({
                tenants: fleet(10),
                hostMemoryMb: 4096,
                reservedMb: 512,
                sizeKey: "k",
                hostLabel: "h",
            }),
        ).toEqual([]);
    });

    test("a fleet that does not fit says how many fit and which server type holds them", () => {
        const [problem] = capacityProblems({
            tenants: fleet(150),
            hostMemoryMb: 4096,
            reservedMb: 512,
            overheadMb: 4,
            sizeKey: "zeptoclaw-fleet:serverType",
            hostLabel: "server type cx22 (4096 MB)",
            serverTypes: types,
            current: types[0],
            location: "fsn1",
        });
        expect(problem.where).toBe("zeptoclaw-fleet:serverType");
        // 150 × (32 + 4) = 5400 MB needed; 3584 MB usable → 99 fit; 5912 MB total → cx42 (cx32 is not in fsn1, cax31 is arm).
        expect(problem.message).toBe(
            "150 tenants need 5400 MB (memory reservations plus 4 MB of runtime overhead each), but server type cx22 (4096 MB) has 3584 MB for tenants after 512 MB kept for the OS: only 99 of them fit. Server type cx42 (16384 MB) would hold them: pulumi config set zeptoclaw-fleet:serverType cx42",
        );
    });

    test("on a local host it says how much memory is needed", () => {
        const [problem] = capacityProblems({
            tenants: fleet(200),
            hostMemoryMb: 2048,
            reservedMb: 512,
            overheadMb: 4,
            sizeKey: "zeptoclaw-fleet:hostMemoryMb",
            hostLabel: "host local",
        });
        expect(problem.message).toMatch(
            /only 42 of them fit\. Give the host at least 7712 MB and set zeptoclaw-fleet:hostMemoryMb/,
        );
    });

    test("a tenant whose limit is above the host is refused in its own file", () => {
        const big = tenant("big", { resources: { memoryMb: 8192, memoryReservationMb: 64 } });
        expect(
            capacityProblems({
                tenants: [big],
                hostMemoryMb: 4096,
                reservedMb: 512,
                sizeKey: "k",
                hostLabel: "server type cx22 (4096 MB)",
            }),
        ).toEqual([
            {
                where: "tenants/big.yaml",
                path: "resources.memoryMb",
                message:
                    "is 8192 MB, above the 3584 MB the host can give tenants (server type cx22 (4096 MB), 512 MB kept for the OS); lower it or use a larger host",
            },
        ]);
    });

    test("helpers", () => {
        expect(tenantsThatFit([50, 10, 30], 45)).toBe(2);
        expect(smallestServerTypeHolding(100_000, types, "x86")).toBeUndefined();
    });
});

describe("host rendering", () => {
    test("cloud-init installs Docker, pins the host key, and allows keys only", () => {
        const text = renderCloudInit({
            hostKeyPrivateOpenssh:
                "-----BEGIN OPENSSH PRIVATE KEY-----\nX\n-----END OPENSSH PRIVATE KEY-----\n",
            hostKeyPublicOpenssh: "ssh-ed25519 AAAA\n",
        });
        expect(text.startsWith("#cloud-config\n")).toBe(true);
        const doc = parse(text) as Record<string, any>;
        expect(doc.packages).toContain("docker.io");
        expect(doc.ssh_pwauth).toBe(false);
        expect(doc.ssh_keys).toEqual({
            ed25519_private: expect.stringContaining("X"),
            ed25519_public: "ssh-ed25519 AAAA",
        });
        const daemon = JSON.parse(
            doc.write_files.find((f: any) => f.path === "/etc/docker/daemon.json").content,
        );
        expect(daemon).toMatchObject({
            icc: false,
            "no-new-privileges": true,
            "live-restore": true,
            "log-opts": { "max-size": "10m", "max-file": "3" },
        });
        expect(doc.write_files.find((f: any) => f.path.startsWith("/etc/ssh/")).content).toMatch(
            /PasswordAuthentication no/,
        );
    });

    test("the rendered cloud-init passes `cloud-init schema`, which catches a bad file", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zc-ci-"));
        const good = path.join(dir, "user-data.yaml");
        fs.writeFileSync(
            good,
            renderCloudInit({
                hostKeyPrivateOpenssh:
                    "-----BEGIN OPENSSH PRIVATE KEY-----\nX\n-----END OPENSSH PRIVATE KEY-----\n",
                hostKeyPublicOpenssh: "ssh-ed25519 AAAA",
                dockerPackageVersion: "20.10.24+dfsg1-1+deb12u1+b6",
            }),
        );
        // cloud-init from Debian's packages; see tests/support/unitTestTools.ts. Exits non-zero on any schema error.
        execFileSync("cloud-init", ["schema", "--config-file", good], { stdio: "pipe" });
        const bad = path.join(dir, "bad.yaml");
        fs.writeFileSync(bad, "#cloud-config\nssh_genkeytypes: []\n");
        expect(() =>
            execFileSync("cloud-init", ["schema", "--config-file", bad], { stdio: "pipe" }),
        ).toThrow();
    });

    test("ssh options verify the host key strictly and never fall back to trusting it", () => {
        const opts = pinnedHostKeySshOptions("198.51.100.7", "ssh-ed25519 AAAAkey\n");
        expect(opts).toContain("StrictHostKeyChecking=yes");
        expect(opts.join(" ")).not.toMatch(/StrictHostKeyChecking=(no|accept-new)/);
        expect(opts).toContain("KnownHostsCommand=/bin/echo 198.51.100.7 ssh-ed25519 AAAAkey");
        expect(opts).toContain("HostKeyAlgorithms=ssh-ed25519");
    });
});

describe("config writer", () => {
    test("uploads each config read-only, with a marker, into a folder only root can open", () => {
        const args = configWriterArgs([{ tenant: "shop-a", uid: 10_000_001, configJson: "{}" }], {
            name: "zc-configs-x",
            image: "sha256:1",
            configRoot: "/srv/zc",
            hostName: "h",
        });
        expect(args.uploads).toEqual([
            {
                file: "/fleet-config/shop-a/config.json",
                content: "{}",
                owner: "0",
                group: "10000001",
                permissions: "0444",
            },
            expect.objectContaining({ file: `/fleet-config/shop-a/${managedMarker}` }),
        ]);
        expect(args.volumes).toEqual([{ hostPath: "/srv/zc", containerPath: "/fleet-config" }]);
        expect((args.entrypoints as string[])[2]).toMatch(/^chmod 0700 \.$/m);
        expect(args).toMatchObject({
            attach: true,
            mustRun: false,
            networkMode: "none",
            capabilities: { drops: ["ALL"] },
        });
    });

    test("its prune step deletes removed tenants' folders, and only folders it wrote", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "zc-prune-"));
        for (const d of ["kept", "removed", "foreign"]) {
            fs.mkdirSync(path.join(root, d));
            fs.writeFileSync(path.join(root, d, "config.json"), "{}");
        }
        fs.writeFileSync(path.join(root, "kept", managedMarker), "");
        fs.writeFileSync(path.join(root, "removed", managedMarker), "");
        const args = configWriterArgs([{ tenant: "kept", uid: 1, configJson: "{}" }], {
            name: "n",
            image: "i",
            configRoot: root,
            hostName: "h",
        });
        const [shell, flag, script, name] = args.entrypoints as string[];
        execFileSync(shell, [
            flag,
            script.replace("/fleet-config", root),
            name,
            ...(args.command as string[]),
        ]);
        expect(fs.readdirSync(root).sort()).toEqual(["foreign", "kept"]);
        expect(fs.statSync(path.join(root, "kept")).mode & 0o777).toBe(0o700);
        expect(fs.statSync(root).mode & 0o777).toBe(0o700);

        // With no tenant left, it still removes the last one's folder.
        const none = configWriterArgs([], { name: "n", image: "i", configRoot: root, hostName: "h" });
        execFileSync(shell, [
            flag,
            script.replace("/fleet-config", root),
            name,
            ...(none.command as string[]),
        ]);
        expect(fs.readdirSync(root)).toEqual(["foreign"]);
        fs.rmSync(root, { recursive: true, force: true });
    });
});

describe("host firewall", () => {
    test("drops tenants' traffic to link-local addresses and to the host, and passes shellcheck", () => {
        const script = renderTenantFirewallScript();
        expect(script).toMatch(/add_rule DOCKER-USER -i zc-tenants -d 169\.254\.0\.0\/16 -j DROP/);
        expect(script).toMatch(/add_rule INPUT -i zc-tenants -j DROP/);
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "zc-sc-")), "firewall.sh");
        fs.writeFileSync(file, script);
        // shellcheck exits non-zero on any finding; see tests/support/unitTestTools.ts.
        execFileSync("shellcheck", [file]);
    });

    test("the configure step installs it as a unit that runs after Docker, and enables it", () => {
        const files = renderHostFiles({ sshPublicKeys: ["ssh-ed25519 A"], dataVolume: true });
        const unit = files.find((f) => f.path === "/etc/systemd/system/zeptoclaw-fleet-firewall.service");
        expect(unit?.content).toMatch(/After=docker\.service/);
        const script = renderConfigureScript({ files, backup: false });
        expect(script).toMatch(/^systemctl enable --now zeptoclaw-fleet-firewall\.service /m);
        expect(script).toMatch(
            /was_changed \/usr\/local\/sbin\/zeptoclaw-fleet-firewall .*\n\s+systemctl restart zeptoclaw-fleet-firewall\.service/,
        );
    });
});

describe("watchdog", () => {
    test("restarts only unhealthy tenant gateways, passes shellcheck, and runs every 30 s once the host is configured", () => {
        const script = renderWatchdogScript();
        expect(script).toMatch(
            /docker ps --quiet --filter "label=com\.zeptoclaw\.role=gateway" --filter health=unhealthy/,
        );
        expect(script).toMatch(/docker restart --time 10 "\$id"/);
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "zc-sc-")), "watchdog.sh");
        fs.writeFileSync(file, script);
        execFileSync("shellcheck", [file]);
        const files = renderHostFiles({ sshPublicKeys: ["ssh-ed25519 A"], dataVolume: true });
        const timer = files.find((f) => f.path === "/etc/systemd/system/zeptoclaw-fleet-watchdog.timer");
        expect(timer?.content).toMatch(/OnUnitActiveSec=30s/);
        expect(renderConfigureScript({ files, backup: false })).toMatch(
            /^systemctl enable --now zeptoclaw-fleet-firewall\.service zeptoclaw-fleet-watchdog\.timer$/m,
        );
    });
});

describe("daemon.json", () => {
    test("a network allocated from the fleet's address pool holds well over 1000 tenants", () => {
        const daemon = renderDaemonConfig() as { "default-address-pools": { base: string; size: number }[] };
        const [pool] = daemon["default-address-pools"];
        expect(addressesPerNetwork(pool.size)).toBeGreaterThanOrEqual(4000);
        // and the pool holds many networks besides it
        expect(2 ** (pool.size - Number(pool.base.split("/")[1]))).toBeGreaterThanOrEqual(64);
    });
});
