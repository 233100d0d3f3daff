import { InputProblem } from "../errors";
import { Tenant } from "../tenants/tenant";
import { secretNamePattern, tenantNamePattern } from "../tenants/tenantSchema";
import { encryptedValueMessage, isEncryptedValue } from "../zeptoclaw/contract/encryptedValue";
import { citing } from "../zeptoclaw/contract/upstream";
import { collectSecretUses } from "../tenants/secretRefs";
import { configLocation } from "./configLocation";

/** tenant name → secret name → value. Values are only ever wrapped in pulumi.secret by the caller. */
export type TenantSecretValues = Record<string, Record<string, string>>;

export const tenantSecretsKey = "tenantSecrets";

/** The command that sets one tenant secret; without a value argument, the CLI prompts for it. */
export function setSecretCommand(stack: string, tenant: string, name: string): string {
    return `pulumi config set --secret --path '${tenantSecretsKey}.${tenant}.${name}' -s ${stack}`;
}

/**
 * ZeptoClaw trims a Brave key and treats a blank one as missing, which is fatal; a blank bot token
 * leaves the channel off with only a warning.
 */
const blankSecretMessage = citing(
    "is only whitespace: ZeptoClaw treats it as not set (a blank Brave key stops it, a blank bot token leaves the channel off)",
    "src/kernel/registrar.rs register_all_tools, src/channels/factory.rs",
);

/**
 * Checks the shape of the `tenantSecrets` stack config: a map of tenant name to a map of secret
 * name to string. `isSecret` says whether Pulumi stores the key encrypted: a value set without
 * `--secret` sits in plaintext in Pulumi.<stack>.yaml and is refused.
 */
export function parseTenantSecrets(
    raw: string | undefined,
    isSecret: boolean,
    stack: string,
): { ok: true; values: TenantSecretValues } | { ok: false; problems: InputProblem[] } {
    const where = configLocation(stack, tenantSecretsKey);
    if (raw === undefined) {
        return { ok: true, values: {} };
    }
    if (!isSecret) {
        return {
            ok: false,
            problems: [
                {
                    where,
                    path: "",
                    message:
                        "holds plaintext values: tenant secrets must be set with `pulumi config set --secret --path ...`; " +
                        `remove them (pulumi config rm ${tenantSecretsKey} -s ${stack}), rotate the exposed keys, and set them again with --secret`,
                },
            ],
        };
    }
    let data: unknown;
    try {
        data = JSON.parse(raw);
    } catch {
        data = undefined;
    }
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
        return {
            ok: false,
            problems: [
                { where, path: "", message: "must be a map of tenant name to a map of secret name to value" },
            ],
        };
    }
    const problems: InputProblem[] = [];
    const values: TenantSecretValues = {};
    for (const [tenant, secrets] of Object.entries(data)) {
        if (!tenantNamePattern.test(tenant)) {
            problems.push({ where, path: tenant, message: "is not a tenant name" });
            continue;
        }
        if (secrets === null || typeof secrets !== "object" || Array.isArray(secrets)) {
            problems.push({ where, path: tenant, message: "must be a map of secret name to value" });
            continue;
        }
        values[tenant] = {};
        for (const [name, value] of Object.entries(secrets as Record<string, unknown>)) {
            if (!secretNamePattern.test(name)) {
                problems.push({ where, path: `${tenant}.${name}`, message: "is not a valid secret name" });
            } else if (typeof value !== "string" || value === "") {
                problems.push({ where, path: `${tenant}.${name}`, message: "must be a non-empty string" });
            } else if (value.trim() === "") {
                problems.push({ where, path: `${tenant}.${name}`, message: blankSecretMessage });
            } else if (isEncryptedValue(value)) {
                problems.push({ where, path: `${tenant}.${name}`, message: encryptedValueMessage });
            } else {
                values[tenant][name] = value;
            }
        }
    }
    return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}

/**
 * Every secret a tenant references must be set for that tenant in this stack. A tenant can only
 * reference its own secrets, so one tenant's file can never pull another tenant's key.
 */
export function missingSecretProblems(
    tenants: ReadonlyArray<Tenant>,
    available: Readonly<Record<string, ReadonlySet<string>>>,
    stack: string,
): InputProblem[] {
    return tenants.flatMap((tenant) =>
        collectSecretUses(tenant.zeptoclaw)
            .filter((use) => !available[tenant.name]?.has(use.name))
            .map((use) => ({
                where: tenant.file,
                path: use.path,
                message: `secret "${use.name}" is not set in stack "${stack}"; set it with: ${setSecretCommand(stack, tenant.name, use.name)}`,
            })),
    );
}

/**
 * Meta sends the verify token in the query string, percent-encoded where needed, and ZeptoClaw
 * compares it with the query as sent, undecoded (src/channels/whatsapp_cloud.rs query_param,
 * handle_verification): a token with any other character never verifies. The value is not shown.
 */
export function verifyTokenProblems(
    tenants: ReadonlyArray<Tenant>,
    values: Readonly<TenantSecretValues>,
    stack: string,
): InputProblem[] {
    return tenants.flatMap((tenant) => {
        const name = tenant.zeptoclaw.channels.whatsapp_cloud?.webhook_verify_token.secret;
        const value = name === undefined ? undefined : values[tenant.name]?.[name];
        if (name === undefined || value === undefined || /^[A-Za-z0-9._~-]+$/.test(value)) {
            return [];
        }
        return [
            {
                where: configLocation(stack, tenantSecretsKey),
                path: `${tenant.name}.${name}`,
                message: citing(
                    "is a WhatsApp verify token with characters Meta percent-encodes in the callback's query, which ZeptoClaw " +
                        "compares undecoded, so verification would fail; choose one of letters, digits, '-', '_', '.' and '~' " +
                        `(e.g. openssl rand -hex 24) and set it with: ${setSecretCommand(stack, tenant.name, name)}`,
                    "src/channels/whatsapp_cloud.rs query_param, handle_verification",
                ),
            },
        ];
    });
}
