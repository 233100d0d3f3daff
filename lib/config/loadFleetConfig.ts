import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { InputProblem, failOnProblems, inputError } from "../errors";
import { readTenantSources } from "../tenants/readTenantSources";
import { selectTenants, stacksFromFileNames } from "../tenants/selectTenants";
import { Tenant } from "../tenants/tenant";
import { FleetPolicy, fleetPolicyOf } from "../zeptoclaw/fleetPolicy/fleetPolicy";
import { fleetPolicyProblems } from "../zeptoclaw/fleetPolicy/policyProblems";
import { collectSecretUses } from "../zeptoclaw/secretRefs";
import { StackConfig, configLocation, configNamespace, parseStackConfig } from "./stackConfig";
import { BackupSecretName, parseBackupSecrets } from "./backupSecrets";
import { missingSecretProblems, parseTenantSecrets, tenantSecretsKey } from "./tenantSecrets";

/** Everything the program needs from the operator, validated. */
export interface FleetConfig {
    stack: string;
    /** The `com.zeptoclaw.env` label: `environment` from config, else the stack name. */
    environment: string;
    settings: StackConfig;
    /** What every tenant runs under (the stack config's policy* keys). */
    policy: FleetPolicy;
    /** Tenants of this stack, sorted by name. */
    tenants: Tenant[];
    /** tenant → secret name → value, each a Pulumi secret from the moment it is read. */
    secrets: Record<string, Record<string, pulumi.Output<string>>>;
    /** The backup credentials the backup target needs, each a Pulumi secret. */
    backupSecrets: Partial<Record<BackupSecretName, pulumi.Output<string>>>;
    projectDir: string;
}

/** The project folder: where Pulumi.yaml and the stack files are. */
export const projectDir = path.resolve(__dirname, "..", "..");

// The SDK knows which config keys are stored encrypted but keeps the check internal; it is
// exported at run time, and the SDK version is pinned in package.json.
const runtimeWithSecretCheck = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };

function isStoredEncrypted(key: string): boolean {
    return runtimeWithSecretCheck.isConfigSecret?.(key) ?? false;
}

/**
 * Reads and validates the stack config, the tenant files and the tenant secrets, and throws one
 * RunError listing every problem found (so `pulumi preview` fails before declaring anything).
 */
export function loadFleetConfig(root: string = projectDir): FleetConfig {
    const stack = pulumi.getStack();
    const prefix = `${configNamespace}:`;
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) {
            raw[key.slice(prefix.length)] = value;
        }
    }

    const parsed = parseStackConfig(raw, stack);
    if (!parsed.ok) {
        throw inputError(parsed.problems);
    }
    const settings = parsed.config;
    const problems: InputProblem[] = [];

    const tenantsDir = path.resolve(root, settings.tenantsDir);
    if (!fs.existsSync(tenantsDir) || !fs.statSync(tenantsDir).isDirectory()) {
        throw inputError([
            {
                where: configLocation(stack, "tenantsDir"),
                path: "",
                message: `"${settings.tenantsDir}" is not a folder; create it or fix the path`,
            },
        ]);
    }
    const knownStacks = stacksFromFileNames(fs.readdirSync(root));
    const selection = selectTenants(readTenantSources(tenantsDir, root), stack, knownStacks);
    problems.push(...selection.problems);
    const policy = fleetPolicyOf(settings);
    for (const tenant of selection.tenants) {
        problems.push(...fleetPolicyProblems(tenant, policy, stack));
    }

    const secretValues = parseTenantSecrets(
        raw[tenantSecretsKey],
        isStoredEncrypted(`${prefix}${tenantSecretsKey}`),
        stack,
    );
    const available: Record<string, Set<string>> = {};
    if (secretValues.ok) {
        for (const [tenant, values] of Object.entries(secretValues.values)) {
            available[tenant] = new Set(Object.keys(values));
        }
        problems.push(...missingSecretProblems(selection.tenants, available, stack));
    } else {
        problems.push(...secretValues.problems);
    }
    const backup = parseBackupSecrets(
        raw,
        (key) => isStoredEncrypted(`${prefix}${key}`),
        settings.hostKind === "hetzner" ? settings.backupTarget : "none",
        stack,
    );
    if (!backup.ok) {
        problems.push(...backup.problems);
    }
    failOnProblems(problems);
    const backupSecrets: FleetConfig["backupSecrets"] = {};
    for (const [name, value] of Object.entries(backup.ok ? backup.values : {})) {
        backupSecrets[name as BackupSecretName] = pulumi.secret(value);
    }

    const secrets: FleetConfig["secrets"] = {};
    const values = secretValues.ok ? secretValues.values : {};
    for (const tenant of selection.tenants) {
        secrets[tenant.name] = {};
        for (const use of collectSecretUses(tenant.zeptoclaw)) {
            secrets[tenant.name][use.name] = pulumi.secret(values[tenant.name][use.name]);
        }
    }
    return {
        stack,
        environment: settings.environment ?? stack,
        settings,
        policy,
        tenants: selection.tenants,
        secrets,
        backupSecrets,
        projectDir: root,
    };
}
