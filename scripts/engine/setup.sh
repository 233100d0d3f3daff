#!/usr/bin/env bash
# Prepares a local Docker engine and the images the real-engine tests use:
#   1. reuse a Docker engine that answers `docker info`, or
#   2. install docker.io (Debian's apt) if needed and start dockerd in the background,
#   3. build the base image zeptoclaw-fleet/debian-base:bookworm with debootstrap
#      (no registry is reachable, so nothing can be pulled),
#   4. build the stand-in image zeptoclaw-fleet/zeptoclaw-standin:test,
#   5. install the host tools the program installs on a fleet host (restic, jq), which the
#      backup round trip runs on this machine as it would on the host.
#   6. install xfsprogs and user-mode-linux for the storage suite (XFS user quotas; this
#      machine's kernel has none, a user-mode Linux kernel from Debian has).
# Idempotent; run as root. Environment:
#   FLEET_DAEMON_CONFIG  optional dockerd --config-file (only used when this script starts dockerd)
#   FLEET_DEBIAN_MIRROR  optional mirror override (default: from the apt sources, else deb.debian.org)
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STANDIN_DIR="$REPO_ROOT/tests/fixtures/zeptoclaw-standin"
BASE_IMAGE=zeptoclaw-fleet/debian-base:bookworm
STANDIN_IMAGE=zeptoclaw-fleet/zeptoclaw-standin:test
SUITE=bookworm
# python3-minimal lacks json and http.server; libpython3-stdlib brings them. openssh-server
# lets the backup suite serve an SFTP repository from a container, as a Storage Box would.
PACKAGES=(ca-certificates gosu wget python3-minimal libpython3-stdlib procps openssh-server)
RECIPE_VERSION=1 # bump when the rootfs recipe below changes, to invalidate caches
CACHE_DIR=/var/cache/zeptoclaw-fleet
DOCKERD_LOG=/var/log/zeptoclaw-fleet-dockerd.log
DOCKERD_PIDFILE=/var/run/docker.pid
DEFAULT_MIRROR=http://deb.debian.org/debian
KEY_LABEL=org.zeptoclaw-fleet.base-key

APT_UPDATED=0
ROOTFS=""
TIMINGS=()

log() { printf '[setup %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

now_ms() {
  local t=${EPOCHREALTIME//[.,]/}
  echo $((t / 1000))
}

# run_step NAME COMMAND...: runs the step and records how long it took.
run_step() {
  local name=$1 t0 ms
  shift
  t0=$(now_ms)
  log "== $name"
  "$@"
  ms=$(($(now_ms) - t0))
  TIMINGS+=("$(printf '%-22s %4d.%01ds' "$name" $((ms / 1000)) $((ms % 1000 / 100)))")
  log "== $name done in $((ms / 1000)).$((ms % 1000 / 100))s"
}

apt_install() {
  log "installing from the apt mirror: $*"
  if [[ $APT_UPDATED == 0 ]]; then
    apt-get update
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

docker_answers() { timeout 20 docker info >/dev/null 2>&1; }

# Prints the pid of a running dockerd, if any (plain /proc scan: procps may be absent).
running_dockerd() {
  local comm
  for comm in /proc/[0-9]*/comm; do
    if [[ $(cat "$comm" 2>/dev/null) == dockerd ]]; then
      comm=${comm#/proc/}
      echo "${comm%/comm}"
      return 0
    fi
  done
  return 1
}

# --- steps 1+2: a Docker engine that answers ------------------------------------------
ensure_engine() {
  if docker_answers; then
    log "docker info answers: using the running engine"
    return 0
  fi
  if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
    apt_install docker.io debootstrap
    # A systemd host starts the packaged service on install: use it if it answers.
    if docker_answers; then
      log "the packaged docker service answers: using it"
      return 0
    fi
  fi

  local pid args=()
  if pid=$(running_dockerd); then
    log "dockerd is already running (pid $pid), waiting for it to answer"
  else
    if [[ -e $DOCKERD_PIDFILE ]]; then
      log "removing stale $DOCKERD_PIDFILE (no dockerd is running)"
      rm -f "$DOCKERD_PIDFILE"
    fi
    if [[ -n ${FLEET_DAEMON_CONFIG:-} ]]; then
      [[ -f $FLEET_DAEMON_CONFIG ]] || die "FLEET_DAEMON_CONFIG=$FLEET_DAEMON_CONFIG is not a file"
      args+=(--config-file "$FLEET_DAEMON_CONFIG")
    fi
    mkdir -p "$(dirname "$DOCKERD_LOG")"
    log "starting dockerd${args[*]:+ ${args[*]}} (log: $DOCKERD_LOG)"
    # nohup + background: the daemon outlives this script and the terminal.
    # 9>&- : it must not inherit (and hold forever) this script's lock.
    nohup dockerd "${args[@]}" >>"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
    pid=$!
  fi

  local deadline=$((SECONDS + 60))
  until docker_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "last lines of $DOCKERD_LOG:"
      tail -n 20 "$DOCKERD_LOG" >&2 || true
      die "dockerd (pid $pid) exited before answering; see $DOCKERD_LOG"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 20 "$DOCKERD_LOG" >&2 || true
      die "dockerd (pid $pid) did not answer 'docker info' within 60 s; see $DOCKERD_LOG"
    fi
    sleep 1
  done
  log "engine up: $(docker version --format 'server {{.Server.Version}}, client {{.Client.Version}}')"
}

# --- step 3: base image from debootstrap ------------------------------------------------
# First http(s) mirror that apt uses for "deb <mirror> $SUITE" (one-line and deb822 formats).
apt_mirror() {
  local files=() f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] && files+=("$f")
  done
  ((${#files[@]})) || return 0
  awk -v suite="$SUITE" '
    function flush() {
      if (!found && deb && enabled && uri ~ /^https?:\/\// && index(suites " ", " " suite " ")) { print uri; found = 1 }
      deb = 0; enabled = 1; suites = ""; uri = ""
    }
    FNR == 1 { flush() }
    found || /^[[:space:]]*#/ { next }
    FILENAME ~ /\.list$/ {
      sub(/\[[^]]*\]/, "")
      if ($1 == "deb" && $3 == suite && $2 ~ /^https?:\/\//) { print $2; found = 1 }
      next
    }
    /^[[:space:]]*$/ { flush(); next }
    tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
    tolower($1) == "uris:" { uri = $2 }
    tolower($1) == "suites:" { for (i = 2; i <= NF; i++) suites = suites " " $i }
    tolower($1) == "enabled:" { enabled = (tolower($2) != "no") }
    END { flush() }
  ' "${files[@]}"
}

base_key() {
  printf '%s\n' "recipe=$RECIPE_VERSION" "suite=$SUITE" "variant=minbase" \
    "arch=$(dpkg --print-architecture)" "packages=${PACKAGES[*]}" | sha256sum | cut -c1-16
}

# debootstrap may leave /proc, /sys or a bind-mounted /dev inside the target on failure:
# unmount before deleting, and never delete across file systems.
cleanup_rootfs() {
  [[ -n $ROOTFS && -d $ROOTFS ]] || return 0
  local m
  awk -v r="$ROOTFS" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts | sort -r |
    while read -r m; do umount -l "$m" || true; done
  rm -rf --one-file-system "$ROOTFS"
  ROOTFS=""
}
trap cleanup_rootfs EXIT

build_rootfs_tarball() {
  local tarball=$1 mirror
  if ! command -v debootstrap >/dev/null; then
    apt_install debootstrap
  fi
  mirror=${FLEET_DEBIAN_MIRROR:-$(apt_mirror)}
  mirror=${mirror:-$DEFAULT_MIRROR}
  mirror=${mirror%/}
  mkdir -p "$CACHE_DIR"
  ROOTFS=$(mktemp -d "$CACHE_DIR/rootfs.XXXXXX")
  log "debootstrap --variant=minbase $SUITE from $mirror with: ${PACKAGES[*]}"
  local include
  include=$(IFS=,; echo "${PACKAGES[*]}")
  if ! debootstrap --variant=minbase --include="$include" "$SUITE" "$ROOTFS" "$mirror" \
    >"$CACHE_DIR/debootstrap.log" 2>&1; then
    tail -n 30 "$CACHE_DIR/debootstrap.log" >&2 || true
    [[ -f $ROOTFS/debootstrap/debootstrap.log ]] && tail -n 30 "$ROOTFS/debootstrap/debootstrap.log" >&2
    die "debootstrap failed (full log: $CACHE_DIR/debootstrap.log)"
  fi

  # Everything the stand-in imports and runs must be there.
  chroot "$ROOTFS" python3 -c 'import json, http.server, socket, hashlib, subprocess, threading; hashlib.sha256(b"")' ||
    die "python3 in the rootfs lacks a module the stand-in needs"
  chroot "$ROOTFS" sh -c 'command -v gosu && command -v wget && command -v useradd && command -v ps && command -v sshd' >/dev/null ||
    die "the rootfs lacks gosu, wget, useradd, ps or sshd"

  # Keep the image small and free of this host's details.
  rm -rf "${ROOTFS:?}"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin \
    "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/cache/apt/archives/partial/* \
    "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* "$ROOTFS"/var/cache/debconf/*-old
  find "$ROOTFS"/usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete
  find "$ROOTFS"/usr/share/locale -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  find "$ROOTFS"/var/log -type f -delete
  : >"$ROOTFS/etc/resolv.conf"
  echo localhost >"$ROOTFS/etc/hostname"

  # /dev is provided by the engine at run time.
  tar --numeric-owner --exclude='./dev/*' -C "$ROOTFS" -cf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
  cleanup_rootfs
  log "cached rootfs: $tarball ($(du -h "$tarball" | cut -f1))"
}

ensure_base_image() {
  local key have tarball
  key=$(base_key)
  have=$(docker image inspect --format "{{ index .Config.Labels \"$KEY_LABEL\" }}" "$BASE_IMAGE" 2>/dev/null || true)
  if [[ $have == "$key" ]]; then
    log "$BASE_IMAGE exists (key $key)"
    return 0
  fi
  tarball="$CACHE_DIR/debian-base-$SUITE-$key.tar"
  if [[ -s $tarball ]]; then
    log "using cached rootfs $tarball"
  else
    build_rootfs_tarball "$tarball"
  fi
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    --change "LABEL $KEY_LABEL=$key" \
    --message "debootstrap --variant=minbase $SUITE + ${PACKAGES[*]}" \
    - "$BASE_IMAGE" <"$tarball" >/dev/null
  log "imported $BASE_IMAGE ($(docker image inspect --format '{{.Size}}' "$BASE_IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
}

# --- step 4: stand-in image -----------------------------------------------------------
build_standin() {
  # The legacy builder resolves FROM against local images; BuildKit would try a registry.
  DOCKER_BUILDKIT=0 docker build --tag "$STANDIN_IMAGE" "$STANDIN_DIR" >&2
  # Smoke test through the real entrypoint (root -> chown -> gosu -> python imports).
  local usage
  usage=$(docker run --rm "$STANDIN_IMAGE") || die "the stand-in image does not run"
  log "smoke test: ${usage%%$'\n'*}"
}

# --- step 5: host tools -------------------------------------------------------------------
# command=package: what the backup suite runs on this machine as the host would (restic, jq),
# and the ssh client restic reaches its SFTP server with (ssh, ssh-keygen).
HOST_TOOLS=(restic=restic jq=jq ssh=openssh-client ssh-keygen=openssh-client)

ensure_host_tools() {
  local missing=() pair package
  for pair in "${HOST_TOOLS[@]}"; do
    package=${pair#*=}
    if ! command -v "${pair%%=*}" >/dev/null && [[ " ${missing[*]} " != *" $package "* ]]; then
      missing+=("$package")
    fi
  done
  if ((${#missing[@]})); then
    apt_install "${missing[@]}"
  fi
  log "restic: $(restic version | cut -d' ' -f2)"
}

# --- step 6: storage quota tools ------------------------------------------------------------
# The storage suite formats small XFS file systems and sets user quotas on them. This machine
# kind's kernel is built without XFS quota support, so the suite boots Debian's user-mode Linux
# kernel, which has it, to see the quotas enforced.
ensure_quota_tools() {
  local missing=()
  if ! command -v mkfs.xfs >/dev/null || ! command -v xfs_quota >/dev/null; then
    missing+=(xfsprogs)
  fi
  [[ -x /usr/bin/linux.uml ]] || missing+=(user-mode-linux)
  if ((${#missing[@]})); then
    apt_install --no-install-recommends "${missing[@]}"
  fi
  log "$(mkfs.xfs -V), $(/usr/bin/linux.uml --version 2>/dev/null | head -n 1)"
}

main() {
  [[ $EUID -eq 0 ]] || die "run as root (needs to install packages, start dockerd and debootstrap)"
  mkdir -p "$CACHE_DIR"
  # Serialise concurrent runs (e.g. parallel CI jobs) on the same machine.
  exec 9>"$CACHE_DIR/setup.lock"
  if ! flock -n 9; then
    log "another setup.sh is running; waiting for it (up to 15 min)"
    flock -w 900 9 || die "timed out waiting for $CACHE_DIR/setup.lock"
  fi

  local t0
  t0=$(now_ms)
  run_step "engine" ensure_engine
  run_step "base image" ensure_base_image
  run_step "stand-in image" build_standin
  run_step "host tools" ensure_host_tools
  run_step "quota tools" ensure_quota_tools
  local ms=$(($(now_ms) - t0))
  log "timings:"
  printf '  %s\n' "${TIMINGS[@]}" >&2
  log "total $((ms / 1000)).$((ms % 1000 / 100))s; images:"
  docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^zeptoclaw-fleet/' | sed 's/^/  /' >&2 || true
}

main "$@"
