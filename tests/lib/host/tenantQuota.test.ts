import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    renderTenantQuotaScript,
    tenantFileLimit,
    TenantQuota,
    tenantQuotas,
} from "../../../lib/host/tenantQuota";
import { tenantOf } from "../../support/tenantFiles";
import { shellcheck } from "../../support/shellcheck";
import { tempDir } from "../../support/tempDir";

const shopA: TenantQuota = { tenant: "shop-a", uid: 10_000_001, diskMb: 1024 };
const shopB: TenantQuota = { tenant: "shop-b", uid: 10_000_002, diskMb: 2048 };

/** Writes the script to a file of its own and runs it with `sh`, as the host would. */
function runScript(script: string): { status: number | null; stdout: string; stderr: string } {
    const file = path.join(tempDir("zc-quota-unit-"), "quota.sh");
    fs.writeFileSync(file, script);
    const result = spawnSync("sh", [file], { encoding: "utf8" });
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("tenant quota script", () => {
    test("limits every tenant's blocks and files, soft equal to hard, and reads them back", () => {
        const script = renderTenantQuotaScript("/var/lib/docker/volumes", [shopB, shopA]);
        expect(script).toMatch(/^mnt=\/var\/lib\/docker\/volumes$/m);
        expect(script).toContain("limits='shop-a 10000001 1024 131072\nshop-b 10000002 2048 262144'");
        expect(script).toContain(
            'xfs_quota -x -c "limit -u bsoft=${mb}m bhard=${mb}m isoft=$files ihard=$files $uid" "$mnt"',
        );
        expect(script).toMatch(/report -u -n -N -b/);
        expect(script).toMatch(/report -u -n -N -i/);
        expect(script).toMatch(/2 tenant\(s\) limited on \$mnt/);
    });

    test("the same tenants in any order give the same text, so it can trigger the step that runs it", () => {
        expect(renderTenantQuotaScript("/v", [shopA, shopB])).toBe(
            renderTenantQuotaScript("/v", [shopB, shopA]),
        );
    });

    test("passes shellcheck, with tenants and with none", () => {
        for (const list of [[shopA, shopB], []]) {
            shellcheck(renderTenantQuotaScript("/var/lib/docker/volumes", list));
        }
    });

    test("refuses, sets nothing and exits 1 where no file system is mounted", () => {
        const dir = tempDir("zc-quota-unit-");
        const result = runScript(renderTenantQuotaScript(dir, [shopA]));
        fs.rmSync(dir, { recursive: true, force: true });
        expect(result.status).toBe(1);
        expect(result.stderr).toBe(
            `zeptoclaw-fleet tenant quotas: ${dir} is not a mount point: tenant data would sit on the root file system, unbounded; no limit was set\n`,
        );
        expect(result.stdout).toBe("");
    });

    test("refuses a file system other than XFS", () => {
        const result = runScript(renderTenantQuotaScript("/proc", [shopA]));
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/\/proc is proc, not XFS; no limit was set/);
    });

    test("refuses input that would make a broken or dangerous script", () => {
        for (const mountpoint of ["relative/path", "/", "/with space", "/a/../b", "/a;reboot", ""]) {
            expect(() => renderTenantQuotaScript(mountpoint, [shopA])).toThrow(/not a plain absolute path/);
        }
        expect(() => renderTenantQuotaScript("/v", [{ ...shopA, uid: 0 }])).toThrow(
            /uid 0 is outside the tenant uid range/,
        );
        expect(() => renderTenantQuotaScript("/v", [{ ...shopA, uid: 1000 }])).toThrow(
            /outside the tenant uid/,
        );
        expect(() => renderTenantQuotaScript("/v", [shopA, { ...shopB, uid: shopA.uid }])).toThrow(
            /tenants shop-a and shop-b share uid 10000001/,
        );
        expect(() => renderTenantQuotaScript("/v", [{ ...shopA, diskMb: 10.5 }])).toThrow(
            /diskMb 10.5 is not a whole number from 64 to/,
        );
        expect(() => renderTenantQuotaScript("/v", [{ ...shopA, tenant: "x'; rm -rf /" }])).toThrow(
            /is not a tenant name/,
        );
    });

    test("the inodes a tenant may create, which XFS does not charge to its blocks, take 1/16 of its disk limit", () => {
        // mkfs.xfs(8): inodes are 512 bytes on a v5 (CRC) filesystem, the default since xfsprogs 3.2.3.
        const inodeBytes = 512;
        for (const diskMb of [64, 1024, 30_000]) {
            expect(tenantFileLimit(diskMb) * inodeBytes).toBe((diskMb * 1024 * 1024) / 16);
        }
    });

    test("a tenant's quota comes from its file: its uid and resources.diskMb", () => {
        const tenant = tenantOf("shop-a", { resources: { diskMb: 256 } });
        expect(tenantQuotas([tenant])).toEqual([{ tenant: "shop-a", uid: 10_000_001, diskMb: 256 }]);
    });
});
