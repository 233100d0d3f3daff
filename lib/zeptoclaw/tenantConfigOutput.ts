import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { Tenant } from "../tenants/tenant";
import { FleetPolicy } from "./fleetPolicy/fleetPolicy";
import { renderZeptoClawConfigJson } from "./renderConfig";

export interface TenantConfigOutput {
    /** The rendered config.json: a Pulumi secret, since it holds the tenant's keys. */
    json: pulumi.Output<string>;
    /** Its SHA-256, not secret: shown in previews, labels the container that runs it. */
    sha256: pulumi.Output<string>;
}

/** The tenant's config.json from its settings, the secrets it references and the fleet policy. */
export function tenantConfigOutput(
    tenant: Tenant,
    secrets: Record<string, pulumi.Output<string>>,
    policy: FleetPolicy,
): TenantConfigOutput {
    const json = pulumi.secret(
        pulumi.all(secrets).apply((values) => renderZeptoClawConfigJson(tenant.zeptoclaw, values, policy)),
    );
    // A digest of a document holding high-entropy keys reveals none of them.
    const sha256 = pulumi.unsecret(json.apply((text) => createHash("sha256").update(text).digest("hex")));
    return { json, sha256 };
}
