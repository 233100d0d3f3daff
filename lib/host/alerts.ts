import { backupPaths, backupRecordFile } from "./backup";
import { dataMountPoint } from "./dataVolume";
import { labelKeys } from "../docker/labels";
import { AlertChannels, restartWindowSeconds } from "../config/alertSettings";
import { shellQuote } from "../shellQuote";

/** Where the alert script, its settings and its incident state live on the host. */
export const alertsPaths = {
    script: "/usr/local/sbin/zeptoclaw-fleet-alerts",
    env: "/etc/zeptoclaw-fleet/alerts.env",
    stateDir: "/var/lib/zeptoclaw-fleet/alerts",
    service: "zeptoclaw-fleet-alerts.service",
    timer: "zeptoclaw-fleet-alerts.timer",
} as const;

/** When a condition counts as an incident. */
export interface AlertThresholds {
    /** A tenant using at least this share of its disk limit. */
    quotaPercent: number;
    /** Host memory available (MemAvailable) below this share of MemTotal. */
    freeMemoryPercent: number;
    /** Free space on the root or the data file system below this share. */
    freeDiskPercent: number;
    /** A tenant Docker restarted at least this many times within the restart window. */
    restarts: number;
    /** A tenant's last successful backup older than this; 0 when the host makes no backups. */
    backupMaxAgeHours: number;
}

/**
 * How long a condition must stay away before "recovered" is sent. A tenant that keeps failing its
 * health check is unhealthy only until the watchdog restarts it (every 30 s), then "starting" for
 * up to 90 s: without this wait it would raise and recover every two minutes.
 */
export const clearAfterSeconds = 600;

export interface AlertsEnvInput {
    /** Named in every message: the fleet host name. */
    hostName: string;
    /** At least one; the values are secrets and the caller keeps the result wrapped. */
    channels: AlertChannels<string>;
    thresholds: AlertThresholds;
    /** The host's tenants: their uids name them in the disk quota report. */
    tenants: ReadonlyArray<{ name: string; uid: number }>;
    /** Overrides, for tests that run the script outside a fleet host. */
    paths?: Partial<{ stateDir: string; dataMount: string }>;
    /** Overrides of restartWindowSeconds and clearAfterSeconds, for tests. */
    timing?: Partial<{ restartWindowSeconds: number; clearAfterSeconds: number }>;
}

/** The settings file the alert script sources, root-only: it holds the channels' secrets. */
export function renderAlertsEnv(input: AlertsEnvInput): string {
    const { channels, thresholds } = input;
    const values: [string, string][] = [
        ["ALERT_HOST", input.hostName],
        ["ALERT_WEBHOOK_URL", channels.webhookUrl ?? ""],
        ["ALERT_TELEGRAM_BOT_TOKEN", channels.telegram?.botToken ?? ""],
        ["ALERT_TELEGRAM_CHAT_ID", channels.telegram?.chatId ?? ""],
        ["ALERT_STATE_DIR", input.paths?.stateDir ?? alertsPaths.stateDir],
        ["ALERT_DATA_MOUNT", input.paths?.dataMount ?? dataMountPoint],
        ["ALERT_QUOTA_PERCENT", String(thresholds.quotaPercent)],
        ["ALERT_FREE_MEMORY_PERCENT", String(thresholds.freeMemoryPercent)],
        ["ALERT_FREE_DISK_PERCENT", String(thresholds.freeDiskPercent)],
        ["ALERT_RESTARTS", String(thresholds.restarts)],
        ["ALERT_BACKUP_MAX_AGE_HOURS", String(thresholds.backupMaxAgeHours)],
        ["ALERT_RESTART_WINDOW_SECONDS", String(input.timing?.restartWindowSeconds ?? restartWindowSeconds)],
        ["ALERT_CLEAR_AFTER_SECONDS", String(input.timing?.clearAfterSeconds ?? clearAfterSeconds)],
        ["ALERT_TENANT_UIDS", input.tenants.map((t) => `${t.name}:${t.uid}`).join(" ")],
    ];
    const lines = values.map(([key, value]) => `${key}=${shellQuote(value)}`);
    return `# Written by zeptoclaw-fleet; sourced by ${alertsPaths.script}.\n${lines.join("\n")}\n`;
}

/**
 * The host's alert check, run every minute by a timer. It looks at what is wrong now (unhealthy
 * tenants, restart loops, disk quotas, backup age, host memory and disk), compares it with the
 * incidents it has already told each channel about (one file per open incident and channel), and
 * sends each channel one message with what is new and what has recovered, nothing when nothing
 * changed. A channel that cannot be reached gets the same news at the next run; the others are
 * not told twice. A check that cannot run is an incident of its own and keeps its earlier
 * incidents open rather than reporting them recovered. Bash, docker, coreutils, jq and curl: no
 * container needs the Docker socket.
 *
 * The Telegram API's address can be changed only through the environment
 * (ZEPTOCLAW_ALERTS_TELEGRAM_API), for tests; the program never sets it.
 */
export function renderAlertsScript(): string {
    return `#!/bin/bash
# Written by zeptoclaw-fleet: tell the operator about tenant and host trouble, once when it starts
# and once when it is over.
set -euo pipefail
shopt -s inherit_errexit nullglob

ENV_FILE=\${ZEPTOCLAW_ALERTS_ENV:-${alertsPaths.env}}
TELEGRAM_API=\${ZEPTOCLAW_ALERTS_TELEGRAM_API:-https://api.telegram.org}

log() { echo "zeptoclaw-fleet-alerts: $*" >&2; }

[[ -r $ENV_FILE ]] || {
    log "cannot read $ENV_FILE: alerts are not configured on this host"
    exit 1
}
# shellcheck source=/dev/null
. "$ENV_FILE"

now=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# What is wrong now: one line per incident, key TAB text.
seen=$work/seen
: >"$seen"
# Checks that could not run: their open incidents are neither seen nor over.
held=" "

found() { printf '%s\\t%s\\n' "$1" "$2" >>"$seen"; }

gateways="label=${labelKeys.role}=gateway"
tenant_of='{{index .Config.Labels "${labelKeys.tenant}"}}'

check_unhealthy() {
    local tenants t
    tenants=$(docker ps --filter "$gateways" --filter health=unhealthy --format '{{.Label "${labelKeys.tenant}"}}') || return 1
    for t in $tenants; do
        found "unhealthy-$t" "tenant $t is unhealthy: its health check fails (docker logs zc-$t); the watchdog restarts it"
    done
}

# Each tenant's restart counts over the window, in ALERT_STATE_DIR/restarts/<tenant>.
check_restarting() {
    local ids rows t count history first
    ids=$(docker ps --all --quiet --filter "$gateways") || return 1
    [[ -n $ids ]] || return 0
    # shellcheck disable=SC2086 # one argument per container id
    rows=$(docker inspect --format "$tenant_of {{.RestartCount}}" $ids) || return 1
    mkdir -p "$ALERT_STATE_DIR/restarts"
    while read -r t count; do
        history=$ALERT_STATE_DIR/restarts/$t
        # Samples within the window; none above the count now (a re-created container starts at 0).
        { cat "$history" 2>/dev/null || true; echo "$now $count"; } |
            awk -v now="$now" -v window="$ALERT_RESTART_WINDOW_SECONDS" -v count="$count" \\
                'now - $1 <= window && $2 <= count' >"$history.new"
        mv -f "$history.new" "$history"
        read -r _ first <"$history"
        if ((count - first >= ALERT_RESTARTS)); then
            found "restarting-$t" "tenant $t restarted $((count - first)) times in $ALERT_RESTART_WINDOW_SECONDS s: it keeps exiting (docker logs zc-$t)"
        fi
    done <<<"$rows"
    # Each run rewrites the history of every tenant there is: the others' are of removed tenants.
    find "$ALERT_STATE_DIR/restarts" -type f ! -newermt "@$((now - ALERT_RESTART_WINDOW_SECONDS))" -delete
}

# XFS user quota report, in KiB: #uid used soft hard (lib/host/tenantQuota.ts sets the limits).
check_quota() {
    [[ -n $ALERT_TENANT_UIDS ]] || return 0
    local report
    report=$(xfs_quota -x -c 'report -u -n -N -b' "$ALERT_DATA_MOUNT") || return 1
    printf '%s\\n' "$report" | awk -v tenants="$ALERT_TENANT_UIDS" -v percent="$ALERT_QUOTA_PERCENT" '
        BEGIN {
            n = split(tenants, pairs, " ")
            for (i = 1; i <= n; i++) { split(pairs[i], p, ":"); name["#" p[2]] = p[1] }
        }
        ($1 in name) && $4 > 0 && $2 * 100 >= $4 * percent {
            printf "quota-%s\\ttenant %s uses %d %% of its disk limit (%d of %d MiB)\\n",
                name[$1], name[$1], $2 * 100 / $4, $2 / 1024, $4 / 1024
        }' >>"$seen"
}

# The record the backup script writes as root after each success (lib/host/backup.ts). A tenant
# can write into its /data, but not change a root-owned file there: only such a record counts.
# Without one, the age counts from the volume's creation.
check_backup() {
    ((ALERT_BACKUP_MAX_AGE_HOURS > 0)) || return 0
    local ids rows volumes info t dir created record since what age
    ids=$(docker ps --all --quiet --filter "$gateways") || return 1
    [[ -n $ids ]] || return 0
    # shellcheck disable=SC2086 # one argument per container id
    rows=$(docker inspect --format "{{range .Mounts}}{{if eq .Destination \\"/data\\"}}{{.Name}}{{end}}{{end}} $tenant_of" $ids) || return 1
    volumes=$(awk 'NF == 2 { print $1 }' <<<"$rows")
    [[ -n $volumes ]] || return 0
    # One call for every volume, whatever the number of tenants.
    # shellcheck disable=SC2086 # one argument per volume
    info=$(docker volume inspect --format '{{.Name}} {{.Mountpoint}} {{.CreatedAt}}' $volumes) || return 1
    while read -r t dir created; do
        record=$dir/${backupRecordFile}
        if [[ -f $record && ! -L $record && $(stat -c %u "$record") == 0 ]]; then
            since=$(stat -c %Y "$record")
            what="last backed up"
        else
            since=$(date -d "$created" +%s) || return 1
            what="never backed up; its data was created"
        fi
        age=$(((now - since) / 3600))
        if ((now - since > ALERT_BACKUP_MAX_AGE_HOURS * 3600)); then
            found "backup-$t" "tenant $t: $what $age h ago, over the $ALERT_BACKUP_MAX_AGE_HOURS h allowed (systemctl status ${backupPaths.service})"
        fi
    done < <(printf '%s\\n--\\n%s\\n' "$rows" "$info" |
        awk '$0 == "--" { volumes = 1; next } !volumes && NF == 2 { tenant[$1] = $2 } volumes && ($1 in tenant) { print tenant[$1], $2, $3 }')
}

check_memory() {
    local free
    free=$(awk '$1 == "MemTotal:" { t = $2 } $1 == "MemAvailable:" { a = $2 } END { if (t > 0) print int(a * 100 / t) }' /proc/meminfo) || return 1
    [[ -n $free ]] || return 1
    if ((free < ALERT_FREE_MEMORY_PERCENT)); then
        found memory "host memory is low: $free % available, below $ALERT_FREE_MEMORY_PERCENT % (npm run status shows each tenant's use)"
    fi
}

# The root file system, and the data file system when it is another one.
check_disk() {
    local name path line fs size avail root_fs="" free
    for name in root data; do
        path=/
        [[ $name == root ]] || path=$ALERT_DATA_MOUNT
        line=$(df -P -k "$path" | awk 'NR == 2 { print $1, $2, $4 }') || return 1
        read -r fs size avail <<<"$line"
        [[ $name == root ]] && root_fs=$fs
        [[ $name == data && $fs == "$root_fs" ]] && continue
        ((size > 0)) || continue
        free=$((avail * 100 / size))
        if ((free < ALERT_FREE_DISK_PERCENT)); then
            found "disk-$name" "$name file system ($path) is low on space: $free % free, below $ALERT_FREE_DISK_PERCENT %"
        fi
    done
}

unreadable() {
    log "the $1 check could not run"
    held="$held$1 "
    found "unreadable-$1" "the $1 check could not run on this host (journalctl -u ${alertsPaths.service})"
}
check_unhealthy || unreadable unhealthy
check_restarting || unreadable restarting
check_quota || unreadable quota
check_backup || unreadable backup
check_memory || unreadable memory
check_disk || unreadable disk
sort -u -t $'\\t' -k 1,1 "$seen" -o "$seen"

channels=()
[[ -z $ALERT_WEBHOOK_URL ]] || channels+=(webhook)
[[ -z $ALERT_TELEGRAM_BOT_TOKEN || -z $ALERT_TELEGRAM_CHAT_ID ]] || channels+=(telegram)
((\${#channels[@]} > 0)) || log "no alert channel is configured"

# For curl's --config: inside double quotes, backslash and double quote are escaped.
curl_quoted() { printf '%s' "$1" | sed 's/[\\\\"]/\\\\&/g'; }

send_webhook() {
    printf 'url = "%s"\\n' "$(curl_quoted "$ALERT_WEBHOOK_URL")" |
        curl --silent --show-error --fail --max-time 20 --config - \\
            --header 'Content-Type: application/json' --data-binary "@$work/events.json" >/dev/null
}

# Bot API sendMessage (core.telegram.org/bots/api): form fields chat_id and text, at most 4096
# characters. The token travels in curl's config on stdin, never on a command line.
send_telegram() {
    {
        printf 'url = "%s/bot%s/sendMessage"\\n' "$TELEGRAM_API" "$(curl_quoted "$ALERT_TELEGRAM_BOT_TOKEN")"
        printf 'data-urlencode = "chat_id=%s"\\n' "$(curl_quoted "$ALERT_TELEGRAM_CHAT_ID")"
    } | curl --silent --show-error --fail --max-time 20 --config - \\
        --data-urlencode "text@$work/message.txt" >/dev/null
}

send() {
    case $1 in
    webhook) send_webhook ;;
    telegram) send_telegram ;;
    esac
}

status=0
for channel in "\${channels[@]}"; do
    open=$ALERT_STATE_DIR/open/$channel
    install -d -m 0700 "$ALERT_STATE_DIR" "$ALERT_STATE_DIR/open" "$open"
    : >"$work/events"
    while IFS=$'\\t' read -r key text; do
        if [[ -f $open/$key ]]; then
            touch "$open/$key"
        else
            printf 'raised\\t%s\\t%s\\n' "$key" "$text" >>"$work/events"
        fi
    done <"$seen"
    for file in "$open"/*; do
        key=\${file##*/}
        if awk -F '\\t' -v key="$key" '$1 == key { found = 1 } END { exit !found }' "$seen"; then
            continue
        fi
        [[ $held == *" \${key%%-*} "* ]] && continue
        ((now - $(stat -c %Y "$file") >= ALERT_CLEAR_AFTER_SECONDS)) || continue
        printf 'recovered\\t%s\\t%s\\n' "$key" "$(cat "$file")" >>"$work/events"
    done
    [[ -s $work/events ]] || continue

    jq --null-input --arg host "$ALERT_HOST" --rawfile events "$work/events" '{
        host: $host,
        events: [$events | split("\\n")[] | select(. != "") | split("\\t") | {state: .[0], key: .[1], text: .[2]}]
    }' >"$work/events.json"
    {
        echo "[$ALERT_HOST] zeptoclaw-fleet"
        awk -F '\\t' 'NR <= 20 { print ($1 == "raised" ? "ALERT: " : "RECOVERED: ") $3 }
            END { if (NR > 20) print "... and " NR - 20 " more" }' "$work/events"
    } >"$work/message.txt"

    if send "$channel"; then
        while IFS=$'\\t' read -r state key text; do
            if [[ $state == raised ]]; then
                printf '%s\\n' "$text" >"$open/$key"
            else
                rm -f "$open/$key"
            fi
        done <"$work/events"
        sed "s/^/$channel: /" "$work/message.txt"
    else
        log "could not reach the $channel; it will be told at the next run"
        status=1
    fi
done
exit "$status"
`;
}

export function renderAlertsService(scriptPath: string): string {
    return `[Unit]
Description=zeptoclaw-fleet: tell the operator about tenant and host trouble
After=docker.service network-online.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=${scriptPath}
`;
}

/** Every minute: a new incident is told within a minute of the check seeing it. */
export function renderAlertsTimer(): string {
    return `[Unit]
Description=zeptoclaw-fleet: check for tenant and host trouble every minute

[Timer]
OnBootSec=2min
OnUnitActiveSec=1min
AccuracySec=5s

[Install]
WantedBy=timers.target
`;
}
