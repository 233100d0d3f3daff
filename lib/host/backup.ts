import { shellQuote } from "../shellQuote";
import { labelKeys } from "../docker/labels";
import { BackupRetention } from "../config/backupPlan";

/** Where the backup script, its settings and its working folders live on the host. */
export const backupPaths = {
    script: "/usr/local/sbin/zeptoclaw-fleet-backup",
    env: "/etc/zeptoclaw-fleet/backup.env",
    passwordFile: "/etc/zeptoclaw-fleet/restic-password",
    sshKey: "/etc/zeptoclaw-fleet/backup-ssh-key",
    knownHosts: "/var/lib/zeptoclaw-fleet/backup-known-hosts",
    staging: "/var/lib/zeptoclaw-fleet/backup-staging",
    service: "zeptoclaw-fleet-backup.service",
    timer: "zeptoclaw-fleet-backup.timer",
} as const;

/**
 * The file, at the root of each tenant's volume, recording its last successful backup as JSON
 * `{"time", "snapshot", "bytes"}`. Written by root into the root-owned sticky /data, so the tenant
 * can read but neither change nor remove it; `npm run status` reads it through the Docker API.
 */
export const backupRecordFile = ".zeptoclaw-fleet-backup.json";

/** An SFTP repository (a Hetzner Storage Box or any SSH server) reached with a key of its own. */
export interface SftpTarget {
    kind: "sftp";
    user: string;
    host: string;
    port: number;
    /** Folder on the server, relative to the login's home. */
    path: string;
    /**
     * `yes` when knownHosts is pinned, `accept-new` when the server's key cannot be known before
     * the first connection (a Storage Box). Either way restic authenticates every byte it reads
     * with the repository key, so a spoofed server can refuse service but not alter backups.
     */
    hostKeyChecking: "yes" | "accept-new";
}

/** An S3-compatible bucket, e.g. Hetzner Object Storage; credentials come from the secret env. */
export interface S3Target {
    kind: "s3";
    /** restic's S3 repository string: `s3:https://<endpoint>/<bucket>/<prefix>`. */
    repository: string;
}

export interface BackupEnvInput {
    target: SftpTarget | S3Target;
    /** Name restic records as the snapshots' host: the fleet host name, stable across rebuilds. */
    hostName: string;
    retention: BackupRetention;
    /** Overrides of backupPaths, for tests that run the script outside a fleet host. */
    paths?: Partial<Record<"passwordFile" | "sshKey" | "knownHosts" | "staging", string>>;
    /** S3 credentials; only with an S3 target. They are secrets: the caller keeps them wrapped. */
    s3Credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The settings file the backup script sources. Holds credentials only with an S3 target. */
export function renderBackupEnv(input: BackupEnvInput): string {
    const paths = { ...backupPaths, ...input.paths };
    const values: [string, string][] = [
        ["BACKUP_HOST", input.hostName],
        ["RESTIC_PASSWORD_FILE", paths.passwordFile],
        ["BACKUP_STAGING", paths.staging],
        ["KEEP_DAILY", String(input.retention.daily)],
        ["KEEP_WEEKLY", String(input.retention.weekly)],
        ["KEEP_MONTHLY", String(input.retention.monthly)],
    ];
    const target = input.target;
    if (target.kind === "sftp") {
        values.push(
            ["RESTIC_REPOSITORY", `sftp:${target.user}@${target.host}:${target.path}`],
            ["SFTP_USER", target.user],
            ["SFTP_HOST", target.host],
            ["SFTP_PORT", String(target.port)],
            ["SFTP_KEY", paths.sshKey],
            ["SFTP_KNOWN_HOSTS", paths.knownHosts],
            ["SFTP_HOST_KEY_CHECKING", target.hostKeyChecking],
        );
    } else {
        values.push(["RESTIC_REPOSITORY", target.repository]);
        if (input.s3Credentials) {
            values.push(
                ["AWS_ACCESS_KEY_ID", input.s3Credentials.accessKeyId],
                ["AWS_SECRET_ACCESS_KEY", input.s3Credentials.secretAccessKey],
            );
        }
    }
    const lines = values.map(([key, value]) => `${key}=${shellQuote(value)}`);
    return `# Written by zeptoclaw-fleet; sourced by ${backupPaths.script}.\n${lines.join("\n")}\n`;
}

/**
 * The host's backup tool: `backup [tenant...]` (what the nightly timer runs), `restore <tenant>
 * [--from-host <host>] [snapshot]`, `snapshots <tenant> [--from-host <host>]`. `--from-host` reads
 * the snapshots another host recorded in the same repository: a dead host's tenants restored onto
 * this one. Consistency: each tenant is paused (cgroup freezer) only
 * while its volume is copied to a staging folder on the host disk, then unpaused before restic
 * uploads the copy. A paused gateway keeps its connections and loses no messages, unlike a stop;
 * the copy is what a power cut would have left, which is what ZeptoClaw's state files are
 * written to survive; and the freeze lasts for a local copy, not for an upload.
 */
export function renderBackupScript(): string {
    return `#!/bin/bash
# Written by zeptoclaw-fleet: restic backups of tenant volumes, and one-tenant restores.
set -euo pipefail
shopt -s inherit_errexit

ENV_FILE=\${ZEPTOCLAW_BACKUP_ENV:-${backupPaths.env}}
RECORD=${backupRecordFile}

usage() {
    cat <<'EOF'
usage: zeptoclaw-fleet-backup backup [tenant...]     back up every tenant (or the named ones)
       zeptoclaw-fleet-backup restore <tenant> [--from-host <host>] [id]
                                  restore one tenant to its latest backup or snapshot id
       zeptoclaw-fleet-backup snapshots <tenant> [--from-host <host>]
                                  list one tenant's snapshots
--from-host: the snapshots another host (a dead one) made in this host's repository.
EOF
}

# Messages go to stderr: stdout carries results between the script's own functions.
log() { echo "zeptoclaw-fleet-backup: $*" >&2; }
# Milliseconds since a time taken with date +%s%N.
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
die() {
    echo "zeptoclaw-fleet-backup: $*" >&2
    exit 1
}

[[ -r $ENV_FILE ]] || die "cannot read $ENV_FILE: backups are not configured on this host"
# shellcheck source=/dev/null
. "$ENV_FILE"
export RESTIC_REPOSITORY RESTIC_PASSWORD_FILE
[[ -z \${AWS_ACCESS_KEY_ID:-} ]] || export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY

RESTIC_OPTS=()
if [[ -n \${SFTP_HOST:-} ]]; then
    RESTIC_OPTS+=(-o "sftp.command=ssh -i $SFTP_KEY -p $SFTP_PORT -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=$SFTP_HOST_KEY_CHECKING -o UserKnownHostsFile=$SFTP_KNOWN_HOSTS -o ServerAliveInterval=30 $SFTP_USER@$SFTP_HOST -s sftp")
fi

r() { restic "\${RESTIC_OPTS[@]}" "$@"; }

container_of() { echo "zc-$1"; }

# The volume mounted at /data in the tenant's container, whatever its name (migrated tenants
# keep their old volume).
data_dir_of() {
    local container=$1 volume dir
    volume=$(docker inspect --format '{{range .Mounts}}{{if eq .Destination "/data"}}{{.Name}}{{end}}{{end}}' "$container") ||
        die "no container $container on this host"
    [[ -n $volume ]] || die "$container has no volume at /data"
    dir=$(docker volume inspect --format '{{.Mountpoint}}' "$volume")
    [[ $dir == /*/_data ]] || die "volume $volume has no data folder ($dir)"
    recover_swap "$dir"
    [[ -d $dir ]] || die "volume $volume has no data folder ($dir)"
    echo "$dir"
}

# One backup or restore of a tenant at a time: held until unlock_tenant, or the end of the
# (sub)shell that took it. A killed holder's lock goes with its process.
LOCKED_TENANT=""
LOCK_FD=""
lock_tenant() {
    local tenant=$1
    [[ $LOCKED_TENANT == "$tenant" ]] && return 0
    install -d -m 0700 "$BACKUP_STAGING.locks"
    exec {LOCK_FD}>"$BACKUP_STAGING.locks/$tenant"
    flock -w "\${LOCK_WAIT_SECONDS:-600}" "$LOCK_FD" ||
        die "$tenant: another backup or restore of it holds it; nothing was changed"
    LOCKED_TENANT=$tenant
}
unlock_tenant() {
    [[ -z $LOCK_FD ]] || exec {LOCK_FD}>&-
    LOCKED_TENANT=""
    LOCK_FD=""
}

# A restore killed while it swapped the tenant's data (cmd_restore) left the old data beside the
# new one, or alone under its other name: the data is made whole again, under the tenant's lock,
# before anything reads it. A snapshot it was unpacking goes.
recover_swap() {
    local data=$1 work
    if [[ -d $data.replaced ]]; then
        if [[ -d $data ]]; then
            rm -rf --one-file-system "$data.replaced"
        else
            mv "$data.replaced" "$data"
            log "put back the data a stopped restore had moved aside ($data)"
        fi
    fi
    for work in "$(dirname "$data")"/restore.*; do
        [[ -d $work ]] && rm -rf --one-file-system "$work"
    done
    return 0
}


ensure_repository() {
    if ! r cat config >/dev/null 2>&1; then
        log "initialising the repository $RESTIC_REPOSITORY"
        r init >/dev/null
    fi
    # Locks left by a backup that was killed would block every later one.
    r unlock >/dev/null 2>&1 || true
}

# Copies a tenant's data to its staging folder, the tenant frozen only for the copy.
stage() {
    local tenant=$1 container data staged
    lock_tenant "$tenant"
    container=$(container_of "$tenant")
    data=$(data_dir_of "$container")
    staged="$BACKUP_STAGING/$tenant"
    rm -rf --one-file-system "$staged"
    install -d -m 0700 "$BACKUP_STAGING"
    mkdir "$staged"
    local started
    started=$(date +%s%N)
    if [[ $(docker inspect --format '{{.State.Status}}' "$container") == running ]]; then
        # Whatever happens to the copy, the tenant must not stay frozen.
        # shellcheck disable=SC2064
        trap "docker unpause $container >/dev/null 2>&1 || true" EXIT
        docker pause "$container" >/dev/null
    fi
    cp -a --one-file-system "$data/." "$staged/"
    docker unpause "$container" >/dev/null 2>&1 || true
    trap - EXIT
    rm -f "$staged/$RECORD"
    log "$tenant: frozen for $(ms_since "$started") ms while copying"
}

# Backs up one tenant; extra arguments become extra tags.
backup_one() {
    local tenant=$1 staged id bytes
    shift
    stage "$tenant"
    staged="$BACKUP_STAGING/$tenant"
    bytes=$(du -sb "$staged" | cut -f1)
    local tags=(--tag "tenant=$tenant")
    for tag in "$@"; do tags+=(--tag "$tag"); done
    id=$(r backup --json --host "$BACKUP_HOST" "\${tags[@]}" "$staged" |
        jq -r 'select(.message_type == "summary") | .snapshot_id')
    rm -rf --one-file-system "$staged"
    [[ -n $id && $id != null ]] || die "$tenant: restic reported no snapshot"
    echo "$id $bytes"
}

record_backup() {
    local tenant=$1 id=$2 bytes=$3 data
    data=$(data_dir_of "$(container_of "$tenant")")
    printf '{"time":"%s","snapshot":"%s","bytes":%s}\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "\${id:0:8}" "$bytes" >"$data/$RECORD.tmp"
    chmod 0644 "$data/$RECORD.tmp"
    mv -f "$data/$RECORD.tmp" "$data/$RECORD"
}

cmd_backup() {
    local tenants=("$@") failed=0 tenant result status id bytes
    if ((\${#tenants[@]} == 0)); then
        mapfile -t tenants < <(docker ps -a --filter "label=${labelKeys.role}=gateway" --format '{{.Label "${labelKeys.tenant}"}}' | sort -u)
    fi
    ensure_repository
    for tenant in "\${tenants[@]}"; do
        # Bash ignores errexit inside if, || and &&: run each backup as a plain statement, so
        # that a failed step stops that tenant's backup instead of going on to the next step.
        set +e
        result=$(
            set -e
            backup_one "$tenant"
        )
        status=$?
        set -e
        if ((status == 0)); then
            read -r id bytes <<<"$result"
            lock_tenant "$tenant"
            record_backup "$tenant" "$id" "$bytes"
            unlock_tenant
            log "$tenant: snapshot \${id:0:8}, $bytes bytes"
        else
            log "$tenant: backup FAILED"
            failed=$((failed + 1))
        fi
    done
    r forget --host "$BACKUP_HOST" --group-by host,tags --prune \\
        --keep-daily "$KEEP_DAILY" --keep-weekly "$KEEP_WEEKLY" --keep-monthly "$KEEP_MONTHLY" >/dev/null
    ((failed == 0)) || die "$failed of \${#tenants[@]} tenant backups failed"
    log "\${#tenants[@]} tenants backed up"
}

# Sets TENANT, WANTED (an id, else latest) and FROM (the snapshots' host, else this one) from
# "<tenant> [--from-host <host>] [id]", with at most $1 positional arguments.
read_args() {
    local max=$1 positional=()
    shift
    FROM=$BACKUP_HOST
    while (($# > 0)); do
        if [[ $1 == --from-host ]]; then
            [[ \${2:-} =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "--from-host takes a host name"
            FROM=$2
            shift 2
        else
            positional+=("$1")
            shift
        fi
    done
    if ((\${#positional[@]} < 1 || \${#positional[@]} > max)); then
        usage >&2
        exit 2
    fi
    TENANT=\${positional[0]}
    WANTED=\${positional[1]:-latest}
}

# The newest nightly snapshot of a tenant from a host, or the given id after checking it is that
# tenant's from that host.
snapshot_of() {
    local tenant=$1 wanted=$2 from=$3
    r snapshots --json --host "$from" --tag "tenant=$tenant" |
        jq -r --arg wanted "$wanted" '
            map(select(if $wanted == "latest" then ((.tags // []) | index("pre-restore") | not)
                       else (.id | startswith($wanted)) or .short_id == $wanted end))
            | sort_by(.time) | last // empty | "\\(.id) \\(.paths[0])"'
}

cmd_restore() {
    local TENANT WANTED FROM
    read_args 2 "$@"
    local tenant=$TENANT container data found id path work
    lock_tenant "$tenant"
    container=$(container_of "$tenant")
    # A tenant moved here from a dead host is restored into the volume and container this host's
    # stack made for it, so that Pulumi keeps owning both.
    docker container inspect "$container" >/dev/null 2>&1 ||
        die "$tenant is not on this host yet: add this host's stack to its tenant file's stacks, set its secrets in that stack and pulumi up, then restore"
    data=$(data_dir_of "$container")
    found=$(snapshot_of "$tenant" "$WANTED" "$FROM")
    [[ -n $found ]] || die "no snapshot '$WANTED' of tenant $tenant from host $FROM in $RESTIC_REPOSITORY; nothing was changed (list them: zeptoclaw-fleet-backup snapshots $tenant --from-host $FROM)"
    read -r id path <<<"$found"

    # What is there now is kept as a snapshot too, so a restore can itself be undone.
    local safety status
    set +e
    safety=$(
        set -e
        backup_one "$tenant" pre-restore
    )
    status=$?
    set -e
    ((status == 0)) || die "could not back up the current data first; nothing was changed"
    log "$tenant: current data kept as snapshot \${safety:0:8} (tag pre-restore)"

    # The snapshot is unpacked while the tenant still runs: only the swap is downtime.
    work=$(mktemp -d "$(dirname "$data")/restore.XXXXXX")
    if ! r restore "$id" --target "$work" >/dev/null; then
        rm -rf --one-file-system "$work"
        die "restic restore of \${id:0:8} failed; $tenant runs on its current data, unchanged"
    fi
    local stopped
    stopped=$(date +%s%N)
    # From the stop to the start, a dropped SSH link (SIGHUP, then a closed stderr) or an
    # interrupt does not stop the swap half way; a kill does, and the next backup or restore of
    # the tenant makes its data whole (recover_swap).
    trap '' HUP INT TERM PIPE
    docker stop --time 30 "$container" >/dev/null
    [[ -f $data/$RECORD ]] && cp -p "$data/$RECORD" "$work$path/$RECORD"
    mv "$data" "$data.replaced"
    mv "$work$path" "$data"
    docker start "$container" >/dev/null
    trap - HUP INT TERM PIPE
    log "$tenant: restored snapshot \${id:0:8} of host $FROM and started again, $(ms_since "$stopped") ms after it stopped; waiting for it to turn healthy"
    rm -rf --one-file-system "$data.replaced" "$work"
    local health
    while (($(ms_since "$stopped") < 120000)); do
        health=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$container")
        if [[ $health == healthy || $health == none ]]; then
            log "$tenant: $health, $(ms_since "$stopped") ms after it stopped"
            return 0
        fi
        sleep 0.1
    done
    die "$tenant did not turn healthy within 120 s of its stop for the restore (docker logs $container)"
}

cmd_snapshots() {
    local TENANT WANTED FROM
    read_args 1 "$@"
    r snapshots --host "$FROM" --tag "tenant=$TENANT"
}

case \${1:-} in
backup) shift && cmd_backup "$@" ;;
restore) shift && cmd_restore "$@" ;;
snapshots) shift && cmd_snapshots "$@" ;;
*) usage >&2 && exit 2 ;;
esac
`;
}

export function renderBackupService(scriptPath: string): string {
    return `[Unit]
Description=zeptoclaw-fleet: back up every tenant's data with restic
After=docker.service network-online.target
Requires=docker.service
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=${scriptPath} backup
Nice=10
IOSchedulingClass=idle
`;
}

/** `schedule` is a systemd OnCalendar expression; Persistent catches up after downtime. */
export function renderBackupTimer(schedule: string): string {
    return `[Unit]
Description=zeptoclaw-fleet: nightly tenant backups

[Timer]
OnCalendar=${schedule}
RandomizedDelaySec=15min
Persistent=true

[Install]
WantedBy=timers.target
`;
}
