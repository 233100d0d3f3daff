import * as pulumi from "@pulumi/pulumi";
import { BackupPlan } from "../../lib/config/backupPlan";
import { HetznerStackConfig, StackConfig } from "../../lib/config/stackConfig";
import { webhookDomainOf } from "../../lib/docker/webhookListener";
import { AlertChannels } from "../../lib/config/alertSettings";
import { runTenantQuotas } from "../../lib/host/tenantQuota";
import { webhookProxyFor } from "../../lib/host/webhookProxy";
import { Tenant } from "../../lib/tenants/tenant";
import { unreachable } from "../../lib/unreachable";
import { BackupStorageBox } from "../backup/backupStorageBox";
import { FleetHost } from "./fleetHost";
import { HetznerHost, HostAlertArgs, HostBackupArgs } from "./hetznerHost";
import { LocalHost } from "./localHost";

/** What the stack's host needs beyond its settings. */
export interface CreateHostInput {
    settings: StackConfig;
    /** The `com.zeptoclaw.env` label value. */
    environment: string;
    /** Where backups go, with their credentials (see loadFleetConfig). */
    backup: BackupPlan<pulumi.Output<string>>;
    /** Where the host's alerts go (see loadFleetConfig); none set means no alerts. */
    alerts: AlertChannels<pulumi.Output<string>>;
    /**
     * The host's tenants, for what the host keeps per tenant: slices with process limits, disk
     * quotas, and the webhook proxy's routes.
     */
    tenants: ReadonlyArray<Tenant>;
}

/** Declares the stack's host: a local engine or a Hetzner server, behind one interface. */
export function createHost(input: CreateHostInput, opts?: pulumi.ComponentResourceOptions): FleetHost {
    const { settings } = input;
    switch (settings.hostKind) {
        case "local":
            return new LocalHost(
                settings.hostName,
                { hostName: settings.hostName, dockerHost: settings.dockerHost },
                opts,
            );
        case "hetzner": {
            const labels = { "zeptoclaw-fleet": "true", "zeptoclaw-env": input.environment };
            return new HetznerHost(
                settings.hostName,
                {
                    hostName: settings.hostName,
                    serverType: settings.serverType,
                    location: settings.serverLocation,
                    image: settings.serverImage,
                    sshAllowedCidrs: settings.sshAllowedCidrs,
                    sshPublicKeys: settings.sshPublicKeys,
                    protect: settings.protectHost,
                    dataVolumeGb: settings.dataVolumeGb,
                    dockerPackageVersion: settings.dockerPackageVersion,
                    backup: hostBackup(settings, input.backup, labels, opts),
                    alerts: hostAlerts(settings, input),
                    tenants: input.tenants,
                    // Each tenant's uid held to its disk limit on the data Volume, at every configure
                    // step; then the webhook proxy, routing each WhatsApp tenant's callback path to it alone.
                    configureFinally:
                        runTenantQuotas(input.tenants) +
                        webhookProxyFor(input.tenants, webhookDomainOf(settings), settings.webhookAcmeEmail),
                    webhooks: settings.webhookDomain !== undefined,
                    labels,
                },
                opts,
            );
        }
        default:
            return unreachable(settings);
    }
}

function hostAlerts(settings: HetznerStackConfig, input: CreateHostInput): HostAlertArgs | undefined {
    const { webhookUrl, telegram } = input.alerts;
    if (webhookUrl === undefined && telegram === undefined) {
        void pulumi.log.warn(
            `Pulumi.${pulumi.getStack()}.yaml: no alert channel (zeptoclaw-fleet:alertWebhookUrl, or alertTelegramBotToken with alertTelegramChatId): nobody is told when a tenant or the host is in trouble`,
        );
        return undefined;
    }
    return {
        channels: input.alerts,
        thresholds: {
            quotaPercent: settings.alertDiskQuotaPercent,
            freeMemoryPercent: settings.alertFreeMemoryPercent,
            freeDiskPercent: settings.alertFreeDiskPercent,
            restarts: settings.alertRestarts,
            backupMaxAgeHours: input.backup.kind === "none" ? 0 : settings.alertBackupMaxAgeHours,
        },
    };
}

function hostBackup(
    settings: HetznerStackConfig,
    plan: CreateHostInput["backup"],
    labels: Record<string, string>,
    opts?: pulumi.ComponentResourceOptions,
): HostBackupArgs | undefined {
    switch (plan.kind) {
        case "none":
            void pulumi.log.warn(
                `Pulumi.${pulumi.getStack()}.yaml: zeptoclaw-fleet:backupTarget is "none": tenant data is not backed up`,
            );
            return undefined;
        case "storagebox": {
            const box = new BackupStorageBox(
                `${settings.hostName}/backups`,
                {
                    hostName: settings.hostName,
                    location: settings.serverLocation,
                    storageBoxType: plan.storageBoxType,
                    password: plan.storageBoxPassword,
                    labels,
                },
                opts,
            );
            return {
                retention: plan.retention,
                schedule: plan.schedule,
                target: box.target,
                password: plan.password,
                sshPrivateKey: box.sshPrivateKey,
            };
        }
        case "s3":
            return {
                retention: plan.retention,
                schedule: plan.schedule,
                target: { kind: "s3", repository: plan.repository },
                password: plan.password,
                s3Credentials: pulumi
                    .all([plan.accessKeyId, plan.secretAccessKey])
                    .apply(([accessKeyId, secretAccessKey]) => ({ accessKeyId, secretAccessKey })),
            };
        default:
            return unreachable(plan);
    }
}
