import { parseStackConfig, StackConfig } from "../../../lib/config/stackConfig";
import { tenantHostRuntime } from "../../../lib/docker/tenantHostRuntime";
import {
    renderTenantSlice,
    tenantCgroupParent,
    tenantCgroupPath,
    tenantSliceFiles,
    tenantSliceName,
} from "../../../lib/docker/tenantSlice";

function settings(raw: Record<string, string>): StackConfig {
    const parsed = parseStackConfig(raw, "test");
    if (!parsed.ok) {
        throw new Error(JSON.stringify(parsed.problems));
    }
    return parsed.config;
}

describe("a tenant's slice", () => {
    test("is a child of the fleet's slice, and no tenant's slice lies in another's", () => {
        expect(tenantSliceName("e2e-a")).toBe("zcfleet-e2e_a.slice");
        expect(tenantSliceName("e2e")).toBe("zcfleet-e2e.slice");
        // systemd makes a-b.slice a child of a.slice: one '-' after the prefix, whatever the name.
        for (const name of ["e2e-a", "e2e", "shop-ahmad-2", "a"]) {
            expect(
                tenantSliceName(name)
                    .replace(/\.slice$/, "")
                    .split("-"),
            ).toHaveLength(2);
        }
        expect(tenantCgroupPath("e2e-a")).toBe("/zcfleet.slice/zcfleet-e2e_a.slice");
    });

    test("is named for the engine's cgroup driver, the same cgroup either way", () => {
        expect(tenantCgroupParent("shop-a", "systemd")).toBe("zcfleet-shop_a.slice");
        expect(tenantCgroupParent("shop-a", "cgroupfs")).toBe("/zcfleet.slice/zcfleet-shop_a.slice");
    });

    test("holds the tenant's process limit as TasksMax, in a unit file under /etc/systemd/system", () => {
        const tenant = { name: "shop-a", resources: { pids: 128 } };
        expect(renderTenantSlice(tenant)).toMatch(/^\[Slice\]\nTasksMax=128\n$/m);
        expect(tenantSliceFiles([tenant])).toEqual([
            {
                path: "/etc/systemd/system/zcfleet-shop_a.slice",
                mode: "0644",
                content: renderTenantSlice(tenant),
            },
        ]);
    });
});

describe("what a host offers its tenants' containers", () => {
    test("a Hetzner host: slices for the systemd driver, AppArmor, and start probes where its Docker has them", () => {
        const hetzner = (serverImage: string) =>
            tenantHostRuntime(
                settings({
                    hostKind: "hetzner",
                    serverImage,
                    sshAllowedCidrs: JSON.stringify(["203.0.113.0/24"]),
                    sshPublicKeys: JSON.stringify([
                        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBqp ops@example.com",
                    ]),
                }),
            );
        expect(hetzner("debian-13")).toEqual({
            cgroupDriver: "systemd",
            appArmor: true,
            healthStart: "start-interval",
        });
        expect(hetzner("debian-12")).toEqual({
            cgroupDriver: "systemd",
            appArmor: true,
            healthStart: "steady-interval",
        });
    });

    test("a local engine: no slices unless the stack names the driver, and no AppArmor", () => {
        expect(tenantHostRuntime(settings({}))).toEqual({
            cgroupDriver: undefined,
            appArmor: false,
            healthStart: "start-interval",
        });
        expect(tenantHostRuntime(settings({ cgroupDriver: "cgroupfs", dockerApiVersion: "1.41" }))).toEqual({
            cgroupDriver: "cgroupfs",
            appArmor: false,
            healthStart: "steady-interval",
        });
        expect(tenantHostRuntime(settings({ dockerApiVersion: "1.44" })).healthStart).toBe("start-interval");
    });

    test("a driver Docker does not have is refused, naming the key", () => {
        const parsed = parseStackConfig({ cgroupDriver: "cgroupv2" }, "dev");
        expect(parsed.ok).toBe(false);
        expect(JSON.stringify(parsed)).toMatch(/zeptoclaw-fleet:cgroupDriver/);
    });
});
