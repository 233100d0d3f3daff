import { InputProblem, formatPath } from "../errors";
import { workspaceDir } from "../docker/containerPaths";

/**
 * Turning one tenant of the seed's compose deployment (`tenants/<name>/config.json`, written by
 * its add-tenant.sh and edited by hand) into a tenant file of this program: secrets leave the
 * file for the encrypted stack config, the data volume compose made is adopted, and every value
 * ZeptoClaw 0.9.2 would refuse at startup is changed, each change reported.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One secret taken out of the seed's config, to be set with `pulumi config set --secret`. */
export interface ImportedSecret {
    /** The name the tenant file references, e.g. `telegramBotToken`. */
    name: string;
    /** Where it stood in the seed's config.json. */
    from: string;
    value: string;
}

/** One value changed or dropped because the fleet or ZeptoClaw 0.9.2 would not run it as it was. */
export interface ImportChange {
    /** Path in the seed's config.json. */
    path: string;
    /** What it was (secrets are never shown). */
    was: string;
    /** What it became, or `(removed)`. */
    now: string;
    why: string;
}

export interface SeedTenantImport {
    name: string;
    /** The adopted compose volume, `<project>_<name>-data`. */
    volume: string;
    /** The tenant file's content, ready for YAML. */
    file: JsonObject;
    secrets: ImportedSecret[];
    changes: ImportChange[];
}

export interface SeedImportOptions {
    stacks: ReadonlyArray<string>;
    /** Compose's project name: its volumes are `<project>_<tenant>-data`. */
    composeProject: string;
    /** The model the program gives new tenants, used where the seed's own default is refused. */
    defaultModel: string;
}

/** The seed's default model (add-tenant.sh), refused by 0.9.2 behind the Anthropic provider. */
export const seedDefaultModel = "anthropic/claude-sonnet-4";

const removed = "(removed)";

/**
 * Where the seed's config holds credentials, and the secret name each gets. Provider keys are
 * named after their provider, so one tenant can hold several.
 */
function secretNameAt(path: ReadonlyArray<string>): string | undefined {
    const key = path.join(".");
    if (path.length === 3 && path[0] === "providers" && path[2] === "api_key") {
        return `${camel(path[1])}ApiKey`;
    }
    const fixed: Record<string, string> = {
        "channels.telegram.token": "telegramBotToken",
        "channels.whatsapp_cloud.access_token": "whatsappCloudAccessToken",
        "channels.whatsapp_cloud.webhook_verify_token": "whatsappWebhookVerifyToken",
        "channels.whatsapp_cloud.app_secret": "whatsappAppSecret",
        "tools.web.search.api_key": "webSearchApiKey",
        "tools.whatsapp.access_token": "whatsappAccessToken",
        "tools.google_sheets.access_token": "googleSheetsAccessToken",
    };
    return fixed[key];
}

function camel(text: string): string {
    return text.replace(/[_-]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function isObject(value: Json | undefined): value is JsonObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: Json): string {
    return JSON.stringify(value);
}

/**
 * Imports one seed tenant. `seedFile` is the path shown in messages. Fails (problems) where no
 * safe change exists: a value encrypted with ZEPTOCLAW_MASTER_KEY, a config that is not an object.
 * The result still has to pass the tenant file's own validation, which the caller runs.
 */
export function importSeedTenant(
    name: string,
    seedFile: string,
    seedConfig: unknown,
    options: SeedImportOptions,
): { ok: true; imported: SeedTenantImport } | { ok: false; problems: InputProblem[] } {
    if (!isObject(seedConfig as Json)) {
        return { ok: false, problems: [{ where: seedFile, path: "", message: "is not a JSON object" }] };
    }
    const config = structuredClone(seedConfig as JsonObject);
    const secrets: ImportedSecret[] = [];
    const changes: ImportChange[] = [];
    const problems: InputProblem[] = [];

    // Credentials first, so that nothing below can print one.
    const extract = (node: JsonObject, path: string[]): void => {
        for (const [key, value] of Object.entries(node)) {
            const at = [...path, key];
            const secretName = secretNameAt(at);
            if (secretName === undefined) {
                if (isObject(value)) {
                    extract(value, at);
                }
                continue;
            }
            if (typeof value !== "string") {
                problems.push({
                    where: seedFile,
                    path: formatPath(at),
                    message: "is a credential but not a string",
                });
            } else if (value.startsWith("ENC[")) {
                // Decrypting needs ZEPTOCLAW_MASTER_KEY, which the fleet never gives a tenant.
                problems.push({
                    where: seedFile,
                    path: formatPath(at),
                    message:
                        "is encrypted with ZEPTOCLAW_MASTER_KEY (ENC[...]); decrypt it and import again: the fleet keeps secrets in the encrypted stack config instead",
                });
            } else if (value === "") {
                delete node[key];
                changes.push({ path: formatPath(at), was: '""', now: removed, why: "an empty credential" });
            } else {
                secrets.push({ name: secretName, from: formatPath(at), value });
                node[key] = { secret: secretName };
            }
        }
    };
    extract(config, []);
    if (problems.length > 0) {
        return { ok: false, problems };
    }

    fixWorkspace(config, changes);
    fixWebSearch(config, changes);
    fixModel(config, changes, options.defaultModel);
    fixAllowLists(config, changes);
    dropUnread(config, changes);
    fixWhatsAppCloud(config, changes, secrets);

    const volume = `${options.composeProject}_${name}-data`;
    const file: JsonObject = { name, stacks: [...options.stacks], volume, zeptoclaw: config };
    return { ok: true, imported: { name, volume, file, secrets, changes } };
}

/** The workspace must lie on the data volume; the program sets it. */
function fixWorkspace(config: JsonObject, changes: ImportChange[]): void {
    const defaults =
        isObject(config.agents) && isObject(config.agents.defaults) ? config.agents.defaults : undefined;
    if (defaults === undefined || defaults.workspace === undefined) {
        return;
    }
    if (defaults.workspace !== workspaceDir) {
        changes.push({
            path: "agents.defaults.workspace",
            was: show(defaults.workspace),
            now: removed,
            why: `the fleet sets ${workspaceDir}, on the tenant's data volume`,
        });
    }
    delete defaults.workspace;
}

/**
 * add-tenant.sh writes a Brave search block with an empty key; 0.9.2 refuses to start with Brave
 * search and no key (src/kernel/registrar.rs), so a search block without its key goes.
 */
function fixWebSearch(config: JsonObject, changes: ImportChange[]): void {
    const tools = config.tools;
    if (!isObject(tools) || !isObject(tools.web) || !isObject(tools.web.search)) {
        return;
    }
    const search = tools.web.search;
    if (search.api_key === undefined) {
        changes.push({
            path: "tools.web.search",
            was: show(search),
            now: removed,
            why: "web search without an API key: ZeptoClaw 0.9.2 exits at startup (src/kernel/registrar.rs)",
        });
        delete tools.web.search;
        if (Object.keys(tools.web).length === 0) {
            delete tools.web;
        }
    } else if (search.provider === undefined) {
        // The key was a Brave key: 0.9.2's default search provider.
        search.provider = "brave";
    }
}

/**
 * 0.9.2 refuses a model that does not start with `claude-` when the Anthropic API serves it
 * (src/config/validate.rs, check_model_backend_compat); a vendor prefix routes elsewhere only when
 * OpenRouter is configured (src/providers/registry.rs). The seed's own default names no model the
 * Anthropic API knows once the prefix is gone, so it becomes the program's default.
 */
function fixModel(config: JsonObject, changes: ImportChange[], defaultModel: string): void {
    const defaults =
        isObject(config.agents) && isObject(config.agents.defaults) ? config.agents.defaults : undefined;
    const providers = isObject(config.providers) ? config.providers : {};
    const model = defaults?.model;
    if (defaults === undefined || typeof model !== "string" || providers.openrouter !== undefined) {
        return;
    }
    if (!model.startsWith("anthropic/") || providers.anthropic === undefined) {
        return;
    }
    const now = model === seedDefaultModel ? defaultModel : model.slice("anthropic/".length);
    defaults.model = now;
    changes.push({
        path: "agents.defaults.model",
        was: show(model),
        now: show(now),
        why: "the Anthropic provider takes Claude model ids without a vendor prefix; 0.9.2 exits at startup otherwise (src/config/validate.rs)",
    });
}

/** 0.9.2 reads `allow_from` as a list of strings (src/config/types.rs); numeric ids become strings. */
function fixAllowLists(config: JsonObject, changes: ImportChange[]): void {
    if (!isObject(config.channels)) {
        return;
    }
    for (const [channel, settings] of Object.entries(config.channels)) {
        if (!isObject(settings) || !Array.isArray(settings.allow_from)) {
            continue;
        }
        const before = settings.allow_from;
        const after = before.map((entry) => (typeof entry === "number" ? String(entry) : entry));
        if (after.some((entry, i) => entry !== before[i])) {
            settings.allow_from = after;
            changes.push({
                path: `channels.${channel}.allow_from`,
                was: show(before),
                now: show(after),
                why: "ZeptoClaw 0.9.2 reads allow_from as strings and refuses numbers (src/config/types.rs)",
            });
        }
    }
}

/**
 * Keys the seed writes or documents that 0.9.2 never reads (grep over src/ at v0.9.2), which the
 * tenant schema refuses so that nobody relies on them.
 */
function dropUnread(config: JsonObject, changes: ImportChange[]): void {
    const unread: Array<[string, string]> = [
        ["swarm", "max_depth"],
        ["tools.whatsapp", "business_account_id"],
    ];
    for (const [parentPath, key] of unread) {
        const parent = parentPath
            .split(".")
            .reduce<Json | undefined>((node, part) => (isObject(node) ? node[part] : undefined), config);
        if (isObject(parent) && parent[key] !== undefined) {
            changes.push({
                path: `${parentPath}.${key}`,
                was: show(parent[key]),
                now: removed,
                why: "ZeptoClaw 0.9.2 never reads it",
            });
            delete parent[key];
        }
    }
    const swarm = config.swarm;
    if (isObject(swarm) && isObject(swarm.roles) && Object.keys(swarm.roles).length === 0) {
        delete swarm.roles;
    }
}

/**
 * The WhatsApp Cloud channel: 0.9.2 listened on 127.0.0.1:9877 inside the seed's container, where
 * Meta's webhooks never reached it. The fleet routes them (lib/host/webhookProxy.ts) and sets the
 * listener itself, so bind_address, port and path go; a channel without app_secret, which the
 * fleet requires (lib/zeptoclaw/contract/channelsSchema.ts), goes with its credentials.
 */
function fixWhatsAppCloud(config: JsonObject, changes: ImportChange[], secrets: ImportedSecret[]): void {
    if (!isObject(config.channels) || config.channels.whatsapp_cloud === undefined) {
        return;
    }
    const channel = config.channels.whatsapp_cloud;
    if (isObject(channel) && channel.app_secret !== undefined) {
        for (const key of ["bind_address", "port", "path"]) {
            if (channel[key] !== undefined) {
                changes.push({
                    path: `channels.whatsapp_cloud.${key}`,
                    was: show(channel[key]),
                    now: removed,
                    why: "zeptoclaw-fleet sets the listener where its webhook proxy reaches it",
                });
                delete channel[key];
            }
        }
        return;
    }
    delete config.channels.whatsapp_cloud;
    changes.push({
        path: "channels.whatsapp_cloud",
        was: "(a channel)",
        now: removed,
        why:
            "it has no app_secret, without which ZeptoClaw accepts unsigned webhooks; its credentials were not moved. " +
            "Add the channel with app_secret (README: Inbound webhooks)",
    });
    for (let i = secrets.length - 1; i >= 0; i--) {
        if (secrets[i].from.startsWith("channels.whatsapp_cloud.")) {
            secrets.splice(i, 1);
        }
    }
}
