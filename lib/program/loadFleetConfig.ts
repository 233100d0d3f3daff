import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { InputProblem, inputError } from "../errors";
import { readTenantSources } from "../tenants/readTenantSources";
import { selectTenants } from "../tenants/selectTenants";
import { tenantFilesOfStack } from "../tenants/tenantFilesOfStack";
import { doublePlacements, unplacedTenants } from "../fleet/placement";
import { projectEnvironments, readFleetProject } from "../project/fleetProject";
import { Tenant } from "../tenants/tenant";
import { FleetPolicy, fleetPolicyOf } from "../zeptoclaw/fleetPolicy/fleetPolicy";
import { fleetPolicyProblems } from "../zeptoclaw/fleetPolicy/policyProblems";
import { collectSecretUses } from "../tenants/secretRefs";
import { StackConfig, parseStackConfig } from "../config/stackConfig";
import { configLocation, configNamespace } from "../config/configLocation";
import { unreachable } from "../unreachable";
import { AlertChannels } from "../config/alertSettings";
import { parseAlertSecrets, secretAlertChannels } from "../config/alertSecrets";
import { BackupPlan } from "../config/backupPlan";
import { parseBackupSecrets } from "../config/backupSecrets";
import { ImagePlan } from "../config/imagePlan";
import { ImageRing, TenantImage, tenantImages } from "../config/imageRings";
import {
    missingSecretProblems,
    parseTenantSecrets,
    tenantSecretsKey,
    verifyTokenProblems,
} from "../config/tenantSecrets";

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
    /** Where the tenants' image comes from. */
    image: ImagePlan;
    /** The upgrade rings, in order, each with the image its tenants run. */
    rings: ImageRing[];
    /** Each tenant (as `tenants`, in order) with the image its ring runs. */
    tenantImages: TenantImage[];
    /** Where backups go, with the credentials that target needs, each a Pulumi secret. */
    backup: BackupPlan<pulumi.Output<string>>;
    /** Where the host's alerts go, each value a Pulumi secret; empty when none is set. */
    alerts: AlertChannels<pulumi.Output<string>>;
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
    const project = readFleetProject(root);
    const knownStacks = project.stacks;
    const sources = readTenantSources(tenantsDir, root);
    problems.push(...project.problems.map(({ stack: _, ...problem }) => problem));
    const environment = settings.environment ?? stack;
    const environments = projectEnvironments(project);
    // A host stack parses the files that could concern it, and leaves the others to their hosts.
    const { parse, elsewhere } = tenantFilesOfStack(sources, {
        stack,
        environment,
        known: [...knownStacks, ...environments],
    });
    const selection = selectTenants(parse, stack, knownStacks, environments, elsewhere);
    problems.push(...selection.problems);
    // Each file parsed once: with 1000 tenant files, a second parse was a tenth of a preview.
    problems.push(
        ...doublePlacements(selection.placements, project.hosts),
        ...unplacedTenants(selection.placements, project.hosts, environment),
    );
    const policy = fleetPolicyOf(settings);
    for (const tenant of selection.tenants) {
        problems.push(...fleetPolicyProblems(tenant, policy, stack));
    }
    const ringed = tenantImages(selection.tenants, parsed.rings, configLocation(stack, "imageRings"));
    problems.push(...ringed.problems);

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
        problems.push(...verifyTokenProblems(selection.tenants, secretValues.values, stack));
    } else {
        problems.push(...secretValues.problems);
    }
    const backup = parseBackupSecrets(
        raw,
        (key) => isStoredEncrypted(`${prefix}${key}`),
        parsed.backup,
        stack,
    );
    if (!backup.ok) {
        problems.push(...backup.problems);
    }
    const alerts = parseAlertSecrets(raw, (key) => isStoredEncrypted(`${prefix}${key}`), stack);
    if (!alerts.ok) {
        problems.push(...alerts.problems);
    }
    // Each failed parse added its problems.
    if (problems.length > 0 || !backup.ok || !secretValues.ok || !alerts.ok) {
        throw inputError(problems);
    }

    const secrets: FleetConfig["secrets"] = {};
    const values = secretValues.values;
    for (const tenant of selection.tenants) {
        secrets[tenant.name] = {};
        for (const use of collectSecretUses(tenant.zeptoclaw)) {
            secrets[tenant.name][use.name] = pulumi.secret(values[tenant.name][use.name]);
        }
    }
    return {
        stack,
        environment,
        settings,
        policy,
        tenants: selection.tenants,
        secrets,
        image: parsed.image,
        rings: parsed.rings,
        tenantImages: ringed.tenantImages,
        backup: secretBackupPlan(backup.plan),
        alerts: secretAlertChannels(alerts.channels),
        projectDir: root,
    };
}

/** The plan with each credential a Pulumi secret from the moment it is read. */
function secretBackupPlan(plan: BackupPlan<string>): BackupPlan<pulumi.Output<string>> {
    switch (plan.kind) {
        case "none":
            return plan;
        case "storagebox":
            return {
                ...plan,
                password: pulumi.secret(plan.password),
                storageBoxPassword: pulumi.secret(plan.storageBoxPassword),
            };
        case "s3":
            return {
                ...plan,
                password: pulumi.secret(plan.password),
                accessKeyId: pulumi.secret(plan.accessKeyId),
                secretAccessKey: pulumi.secret(plan.secretAccessKey),
            };
        default:
            return unreachable(plan);
    }
}
