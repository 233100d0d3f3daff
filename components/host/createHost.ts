import * as pulumi from "@pulumi/pulumi";
import { BackupSecretName } from "../../lib/config/backupSecrets";
import { HetznerStackConfig, StackConfig } from "../../lib/config/stackConfig";
import { Tenant } from "../../lib/tenants/tenant";
import { BackupStorageBox } from "../backup/backupStorageBox";
import { FleetHost } from "./fleetHost";
import { HetznerHost, HostBackupArgs } from "./hetznerHost";
import { LocalHost } from "./localHost";

/** What the stack's host needs beyond its settings. */
export interface CreateHostInput {
    settings: StackConfig;
    /** The `com.zeptoclaw.env` label value. */
    environment: string;
    /** The backup credentials, Pulumi secrets (see loadFleetConfig). */
    backupSecrets: Partial<Record<BackupSecretName, pulumi.Output<string>>>;
    /** The host's tenants, for what the host keeps per tenant (slices with process limits). */
    tenants: ReadonlyArray<Tenant>;
    /** Bash run at the end of every host configure step. Default: none. */
    configureFinally?: pulumi.Input<string>;
}

/** Declares the stack's host: a local engine or a Hetzner server, behind one interface. */
export function createHost(input: CreateHostInput, opts?: pulumi.ComponentResourceOptions): FleetHost {
    const { settings } = input;
    if (settings.hostKind === "local") {
        return new LocalHost(
            settings.hostName,
            { hostName: settings.hostName, dockerHost: settings.dockerHost },
            opts,
        );
    }
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
            backup: hostBackup(settings, input.backupSecrets, labels, opts),
            tenants: input.tenants,
            configureFinally: input.configureFinally,
            labels,
        },
        opts,
    );
}

function hostBackup(
    settings: HetznerStackConfig,
    secrets: CreateHostInput["backupSecrets"],
    labels: Record<string, string>,
    opts?: pulumi.ComponentResourceOptions,
): HostBackupArgs | undefined {
    const common = {
        retention: {
            daily: settings.backupKeepDaily,
            weekly: settings.backupKeepWeekly,
            monthly: settings.backupKeepMonthly,
        },
        schedule: settings.backupSchedule,
    };
    // loadFleetConfig has refused a stack whose target lacks a required secret.
    const password = secrets.password;
    if (settings.backupTarget === "none" || password === undefined) {
        void pulumi.log.warn(
            `Pulumi.${pulumi.getStack()}.yaml: zeptoclaw-fleet:backupTarget is "none": tenant data is not backed up`,
        );
        return undefined;
    }
    if (settings.backupTarget === "storagebox" && secrets.storageBoxPassword !== undefined) {
        const box = new BackupStorageBox(
            `${settings.hostName}/backups`,
            {
                hostName: settings.hostName,
                location: settings.serverLocation,
                storageBoxType: settings.backupStorageBoxType,
                password: secrets.storageBoxPassword,
                labels,
            },
            opts,
        );
        return { ...common, target: box.target, password, sshPrivateKey: box.sshPrivateKey };
    }
    const { s3AccessKeyId, s3SecretAccessKey } = secrets;
    return {
        ...common,
        target: { kind: "s3", repository: settings.backupS3Repository ?? "" },
        password,
        s3Credentials:
            s3AccessKeyId && s3SecretAccessKey
                ? pulumi
                      .all([s3AccessKeyId, s3SecretAccessKey])
                      .apply(([accessKeyId, secretAccessKey]) => ({ accessKeyId, secretAccessKey }))
                : undefined,
    };
}
