#!/usr/bin/env bash
# Prepares a local Docker engine and the images the real-engine tests use:
#   1. reuse a Docker engine that answers `docker info` with API 1.44 or newer, or
#   2. start Debian 13's Docker 26 (a debootstrapped trixie tree, see ensure_engine) in the
#      background, after installing Debian 12's docker.io (the client, and the 20.10 daemon the
#      move suite runs as a debian-12 host); the same tree holds what a debian-13 fleet host
#      installs, for the debian-13 host suite, and is linked at /var/cache/zeptoclaw-fleet/debian-13-host,
#   3. build the base image zeptoclaw-fleet/debian-base:bookworm with debootstrap
#      (no registry is reachable, so nothing can be pulled),
#   4. build the stand-in image zeptoclaw-fleet/zeptoclaw-standin:test,
#   5. install the host tools the program installs on a fleet host (restic, jq), which the
#      backup round trip runs on this machine as it would on the host, and the tools the unit
#      tests check rendered files with (shellcheck, cloud-init, caddy),
#   6. prepare the storage suite's virtual machine (XFS user quotas; this machine kind's kernel
#      has none): xfsprogs, qemu-system-x86, and Debian's kernel with a busybox initramfs.
# Idempotent; run as root. Environment:
#   FLEET_DAEMON_CONFIG  optional dockerd --config-file (only used when this script starts dockerd)
# debootstrap takes its Debian mirror from this machine's apt sources.
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

apt_update_once() {
  if [[ $APT_UPDATED == 0 ]]; then
    apt-get update
    APT_UPDATED=1
  fi
}

apt_install() {
  log "installing from the apt mirror: $*"
  apt_update_once
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

# --- steps 1+2: a Docker 26 engine that answers ------------------------------------------
# Fleet hosts run Debian 13's docker.io (26.1), so the engine suites do too. This machine is
# Debian 12, whose docker.io is 20.10 and cannot be upgraded in place, so the engine is trixie's:
# a debootstrapped trixie tree whose /usr (and /etc/alternatives, where its iptables points)
# dockerd sees in a mount namespace of its own, over this machine's. Everything else is this
# machine's, at the same paths: bind mounts, volumes, /run, cgroups and network namespaces work
# as with a packaged engine. Bookworm's docker.io stays installed: its client, and its 20.10
# daemon as the old host of the move suite (second-engine.sh), while debian-12 hosts exist.
ENGINE_SUITE=trixie
ENGINE_PACKAGES=(docker.io iptables ca-certificates)
# The rest of what a debian-13 fleet host installs (lib/host/cloudInit.ts hostPackages, and caddy
# for the webhook proxy), and the tools that read the host's files there (cloud-init, systemd):
# the debian-13 host suite checks the program's files with them. apt installs these into the
# tree, not debootstrap, whose resolver does not follow virtual packages (cloud-init's
# python3-cryptography needs python3-cffi-backend-api-min).
HOST_PACKAGES=(restic jq xfsprogs unattended-upgrades curl caddy cloud-init systemd)
ENGINE_RECIPE=2 # bump when the engine tree's recipe changes
# Where the tests find the tree: the same tree the engine runs from.
DEBIAN13_TREE_LINK=$CACHE_DIR/debian-13-host
# start_interval (the healthcheck's probe rate while a tenant starts) came with API 1.44 (Docker 25).
ENGINE_MIN_API=1.44

api_at_least() { [[ $(printf '%s\n' "$2" "$1" | sort -V | head -n 1) == "$2" ]]; }

engine_key() {
  printf '%s\n' "recipe=$ENGINE_RECIPE" "suite=$ENGINE_SUITE" "arch=$(dpkg --print-architecture)" \
    "packages=${ENGINE_PACKAGES[*]}" "host=${HOST_PACKAGES[*]}" | sha256sum | cut -c1-16
}

# Prints the tree's path, building it first if it is not there, and links it for the tests.
ensure_engine_tree() {
  local tree work mirror include
  tree="$CACHE_DIR/engine-$ENGINE_SUITE-$(engine_key)"
  if [[ -f $tree/.complete ]]; then
    ln -sfn "$tree" "$DEBIAN13_TREE_LINK"
    echo "$tree"
    return 0
  fi
  mirror=$(apt_mirror)
  [[ -n $mirror ]] || die "no apt source serves Debian $SUITE over http(s): the $ENGINE_SUITE engine is bootstrapped from the same archive (add a 'deb <uri> $SUITE' source, then run this again)"
  mirror=${mirror%/}
  work=$(mktemp -d "$CACHE_DIR/engine.XXXXXX")
  include=$(IFS=,; echo "${ENGINE_PACKAGES[*]}")
  log "debootstrap --variant=minbase $ENGINE_SUITE from $mirror with: ${ENGINE_PACKAGES[*]}"
  if ! debootstrap --variant=minbase --include="$include" "$ENGINE_SUITE" "$work" "$mirror" \
    >"$CACHE_DIR/engine-debootstrap.log" 2>&1; then
    tail -n 30 "$CACHE_DIR/engine-debootstrap.log" >&2 || true
    rm -rf --one-file-system "$work"
    die "debootstrap of the $ENGINE_SUITE engine failed (full log: $CACHE_DIR/engine-debootstrap.log)"
  fi
  # The tree's apt sources are the archive debootstrap used (debootstrap writes them).
  if ! chroot "$work" sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"' \
    apt "${HOST_PACKAGES[@]}" >>"$CACHE_DIR/engine-debootstrap.log" 2>&1; then
    tail -n 30 "$CACHE_DIR/engine-debootstrap.log" >&2 || true
    rm -rf --one-file-system "$work"
    die "installing ${HOST_PACKAGES[*]} into the $ENGINE_SUITE tree failed (full log: $CACHE_DIR/engine-debootstrap.log)"
  fi
  # The mount point this machine's kernel modules are seen at, for dockerd's modprobe calls.
  mkdir -p "$work/usr/lib/modules"
  touch "$work/.complete"
  rm -rf --one-file-system "$tree"
  mv "$work" "$tree"
  ln -sfn "$tree" "$DEBIAN13_TREE_LINK"
  echo "$tree"
}

# The tree the debian-13 host suite reads, whether or not the engine that answers runs from it.
ensure_debian13_tree() {
  # shellcheck disable=SC2016 # dpkg-query's own format
  log "debian-13 host tree: $(ensure_engine_tree) ($(chroot "$DEBIAN13_TREE_LINK" dpkg-query -W -f '${Package} ${Version}, ' docker.io systemd cloud-init caddy restic))"
}

# Stops the engine that answers when this script may: a dockerd not run by systemd.
stop_old_engine() {
  local pid
  [[ -d /run/systemd/system ]] && return 1
  pid=$(running_dockerd) || return 1
  log "stopping dockerd (pid $pid, $(docker version --format 'Docker {{.Server.Version}}, API {{.Server.APIVersion}}'))"
  kill "$pid"
  for _ in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 1
  done
  die "dockerd (pid $pid) did not stop within 30 s"
}

ensure_engine() {
  local api pid tree args=()
  if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null || ! command -v debootstrap >/dev/null; then
    apt_install docker.io debootstrap
  fi
  if docker_answers; then
    api=$(docker version --format '{{.Server.APIVersion}}')
    if api_at_least "$api" "$ENGINE_MIN_API"; then
      log "docker info answers: using the running engine (API $api)"
      return 0
    fi
    stop_old_engine || die "the engine at /var/run/docker.sock speaks API $api; the engine suites need API $ENGINE_MIN_API or newer (Docker 25+; fleet hosts run 26.1): stop it (systemctl disable --now docker.socket docker.service), then run this again"
  fi
  tree=$(ensure_engine_tree)

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
    # As systemd makes it at boot on a Debian host: what is mounted here later (a test's loop
    # mount) must propagate into the daemon's namespace, which only a shared root gives.
    mount --make-rshared /
    mkdir -p "$(dirname "$DOCKERD_LOG")"
    log "starting $ENGINE_SUITE's dockerd${args[*]:+ ${args[*]}} (tree: $tree, log: $DOCKERD_LOG)"
    # nohup + background: the daemon outlives this script and the terminal.
    # 9>&- : it must not inherit (and hold forever) this script's lock. Mounts this machine makes
    # later (slave propagation) reach the daemon; the daemon's own never leave its namespace.
    # shellcheck disable=SC2016 # expanded by the inner bash
    nohup unshare --mount --propagation slave -- bash -c '
      set -e
      tree=$1
      shift
      if [[ -d /usr/lib/modules ]]; then mount --rbind /usr/lib/modules "$tree/usr/lib/modules"; fi
      mount --rbind "$tree/usr" /usr
      mount --bind "$tree/etc/alternatives" /etc/alternatives
      exec dockerd "$@"
    ' engine "$tree" "${args[@]}" >>"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
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
  api=$(docker version --format '{{.Server.APIVersion}}')
  api_at_least "$api" "$ENGINE_MIN_API" || die "the engine that answers speaks API $api, older than $ENGINE_MIN_API"
  log "engine up: $(docker version --format 'server {{.Server.Version}} (API {{.Server.APIVersion}}), client {{.Client.Version}}')"
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
  mirror=$(apt_mirror)
  [[ -n $mirror ]] || die "no apt source serves Debian $SUITE over http(s) (looked for a 'deb <uri> $SUITE' line in /etc/apt/sources.list and /etc/apt/sources.list.d/*.list, and a deb822 stanza with Types: deb and Suites: $SUITE in /etc/apt/sources.list.d/*.sources): add one, then run this again"
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
# the ssh client restic reaches its SFTP server with (ssh, ssh-keygen), what the unit tests run
# (tests/support/unitTestTools.ts lists it; tests/cli/workflows.test.ts holds this list to it), and
# the browser the status suite opens the status page in (Debian's, driven by playwright-core).
HOST_TOOLS=(restic=restic jq=jq git=git ssh=openssh-client ssh-keygen=openssh-client shellcheck=shellcheck
  cloud-init=cloud-init caddy=caddy flock=util-linux chromium=chromium)

ensure_host_tools() {
  local missing=() pair package
  for pair in "${HOST_TOOLS[@]}"; do
    package=${pair#*=}
    if ! command -v "${pair%%=*}" >/dev/null && [[ " ${missing[*]} " != *" $package "* ]]; then
      missing+=("$package")
    fi
  done
  if ((${#missing[@]})); then
    apt_install --no-install-recommends "${missing[@]}"
  fi
  log "restic: $(restic version | cut -d' ' -f2), $(shellcheck --version | sed -n 's/^version: /shellcheck /p'), $(cloud-init --version 2>&1)"
}

# --- step 6: the virtual machine of the storage and slice suites --------------------------------
# The storage suite sets XFS user quotas and must see a kernel enforce them. This machine kind's
# kernel is built without XFS quota support, and a user-mode Linux kernel passes the host's FPU
# state through ptrace, which fails on some CPUs. So the suite boots Debian's kernel (XFS quotas
# built in) in qemu's emulated CPU (no KVM needed), with this machine's root shared read-only over
# 9p. The kernel package is unpacked into the cache, never installed: this machine boots its own.
# The slice suite boots the same kernel with this machine's systemd as PID 1, on cgroup v2.
QUOTA_VM_RECIPE=1 # bump when the kernel choice or the initramfs below changes
QUOTA_VM_DIR=$CACHE_DIR/quota-vm # vmlinuz and initramfs.cpio; the storage and slice suites read them here
# What the initramfs loads, with their dependencies: virtio disks and 9p, and XFS.
QUOTA_VM_MODULES=(virtio_pci virtio_blk 9pnet_virtio 9p crc32c_generic xfs)

# The initramfs's /init: loads the modules, mounts this machine's root read-only (9p tag "host")
# with /proc, /sys and /dev, and runs the program named by fleet.init= on the kernel command line.
quota_vm_init() {
  cat <<'EOF'
#!/bin/busybox sh
b=/bin/busybox
$b mount -t proc proc /proc
for m in $($b cat /lib/modules/order); do
  $b insmod "/lib/modules/$m" || echo "initramfs: insmod $m failed"
done
init=$($b sed -n 's/.*fleet\.init=\([^ ]*\).*/\1/p' /proc/cmdline)
if ! $b mount -t 9p -o trans=virtio,version=9p2000.L,ro host /newroot; then
  echo "initramfs: cannot mount the host's root (9p tag host)"
  $b poweroff -f
fi
$b mount -t proc proc /newroot/proc
$b mount -t sysfs sys /newroot/sys
$b mount -t devtmpfs dev /newroot/dev
$b umount /proc
exec $b switch_root /newroot "$init"
EOF
}

build_quota_vm() {
  local dir=$1 work package version modules top line dep
  apt_update_once
  # The kernel the linux-image-amd64 meta package names today.
  package=$(apt-cache depends linux-image-amd64 | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
  [[ -n $package ]] || die "apt knows no linux-image-amd64 kernel package (apt-cache depends linux-image-amd64)"
  version=${package#linux-image-}
  work=$(mktemp -d "$CACHE_DIR/quota-vm.XXXXXX")
  log "unpacking $package (not installing it) for the storage suite's virtual machine"
  (cd "$work" && apt-get download -o APT::Sandbox::User=root "$package") >&2
  dpkg-deb -x "$work"/"$package"_*.deb "$work/kernel"
  modules=$work/kernel/lib/modules/$version
  busybox depmod -b "$work/kernel" "$version"
  grep -q '^CONFIG_XFS_QUOTA=y' "$work/kernel/boot/config-$version" ||
    die "$package is built without CONFIG_XFS_QUOTA"

  mkdir -p "$work/initramfs/bin" "$work/initramfs/lib/modules" "$work/initramfs/proc" "$work/initramfs/newroot"
  cp /bin/busybox "$work/initramfs/bin/busybox"
  # modules.dep lists each module's dependencies, nearest first: load them last to first.
  local order=()
  for top in "${QUOTA_VM_MODULES[@]}"; do
    line=$(grep -E "(^|/)$top\.ko:" "$modules/modules.dep") || die "$package has no module $top"
    for dep in $(tr ' ' '\n' <<<"${line#*:}" | tac) "${line%%:*}"; do
      [[ " ${order[*]} " == *" $dep "* ]] || order+=("$dep")
    done
  done
  for dep in "${order[@]}"; do
    cp "$modules/$dep" "$work/initramfs/lib/modules/"
    basename "$dep" >>"$work/initramfs/lib/modules/order"
  done
  quota_vm_init >"$work/initramfs/init"
  chmod 0755 "$work/initramfs/init"

  mkdir "$work/out"
  cp "$work/kernel/boot/vmlinuz-$version" "$work/out/vmlinuz"
  (cd "$work/initramfs" && find . | busybox cpio -o -H newc) >"$work/out/initramfs.cpio"
  printf '%s\n' "recipe=$QUOTA_VM_RECIPE" "kernel=$package" >"$work/out/recipe"
  rm -rf "$dir"
  mv "$work/out" "$dir"
  rm -rf "$work"
}

ensure_quota_vm() {
  local missing=()
  if ! command -v mkfs.xfs >/dev/null || ! command -v xfs_quota >/dev/null; then
    missing+=(xfsprogs)
  fi
  command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
  # The slice suite boots this machine's systemd in it, as PID 1 (this machine runs none).
  [[ -x /lib/systemd/systemd ]] || missing+=(systemd)
  # The initramfs runs busybox with no libraries: the static build.
  [[ $(dpkg-query -W -f='${Status}' busybox-static 2>/dev/null) == "install ok installed" ]] ||
    missing+=(busybox-static)
  if ((${#missing[@]})); then
    apt_install --no-install-recommends "${missing[@]}"
  fi
  if [[ $(head -n 1 "$QUOTA_VM_DIR/recipe" 2>/dev/null) != "recipe=$QUOTA_VM_RECIPE" ]]; then
    build_quota_vm "$QUOTA_VM_DIR"
  fi
  log "$(mkfs.xfs -V), $(qemu-system-x86_64 --version | head -n 1), $(tail -n 1 "$QUOTA_VM_DIR/recipe")"
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
  run_step "debian-13 tree" ensure_debian13_tree
  run_step "base image" ensure_base_image
  run_step "stand-in image" build_standin
  run_step "host tools" ensure_host_tools
  run_step "quota vm" ensure_quota_vm
  local ms=$(($(now_ms) - t0))
  log "timings:"
  printf '  %s\n' "${TIMINGS[@]}" >&2
  log "total $((ms / 1000)).$((ms % 1000 / 100))s; images:"
  docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^zeptoclaw-fleet/' | sed 's/^/  /' >&2 || true
}

main "$@"
