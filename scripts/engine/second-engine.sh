#!/usr/bin/env bash
# A second Docker engine on this machine, for the suites that need two hosts (the move suite): this
# machine's own dockerd, Debian 12's Docker 20.10, the engine of debian-12 fleet hosts (setup.sh runs
# Debian 13's Docker 26 as the first engine), or, with debian-13, Docker 26 from the trixie tree
# setup.sh made (/var/cache/zeptoclaw-fleet/debian-13-host), seen over /usr as the first engine sees it.
#   second-engine.sh start <dir> [debian-13]   start dockerd with everything of its own under <dir>
#   second-engine.sh stop <dir>                stop it and remove <dir>, its bridge and its mounts
# Its own socket (<dir>/docker.sock), data root, exec root, pid file, containerd namespace and
# default bridge (zcmove0, 10.212.0.0/24); its networks come from 10.213.0.0/16. It never touches
# iptables: the first engine owns the chains, and a second daemon rewriting them would break it.
# Containers on it reach each other and this machine, not the internet. Run as root.
set -euo pipefail

BRIDGE=zcmove0
BRIDGE_CIDR=10.212.0.1/24
POOL=10.213.0.0/16

die() {
  echo "second-engine: $*" >&2
  exit 1
}

# A route into one of our ranges that is not ours means another network uses it.
check_ranges() {
  local taken
  taken=$(ip -4 route show | awk -v b="$BRIDGE" '$1 ~ /^10\.21[23]\./ && $0 !~ (" dev " b " ") && $0 !~ / dev br-/ { print }')
  [[ -z $taken ]] || die "10.212.0.0/24 or $POOL is in use on this machine (ip route: $taken); pick other ranges in $0"
}

stop_engine() {
  local dir=$1 pid
  if [[ -f $dir/docker.pid ]]; then
    pid=$(cat "$dir/docker.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 30); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
      done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
  fi
  # Its overlay and shm mounts, deepest first; never across into another file system's tree.
  awk -v d="$dir" 'index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r |
    while read -r m; do umount -l "$m" || true; done
  ip link show "$BRIDGE" >/dev/null 2>&1 && ip link delete "$BRIDGE"
  # Networks it made and left (a killed daemon): their bridges carry its pool's addresses.
  ip -4 -o addr show | awk '$4 ~ /^10\.213\./ { print $2 }' | sort -u | while read -r link; do
    ip link delete "$link" || true
  done
  rm -rf --one-file-system "$dir"
}

start_engine() {
  local dir=$1 release=${2:-debian-12} tree=""
  [[ ! -e $dir ]] || die "$dir exists: stop the engine there first ($0 stop $dir)"
  case $release in
    debian-12) ;;
    debian-13)
      tree=$(readlink -f /var/cache/zeptoclaw-fleet/debian-13-host)
      [[ -x $tree/usr/sbin/dockerd ]] || die "no debian-13 tree with dockerd at /var/cache/zeptoclaw-fleet/debian-13-host: run npm run engine:setup"
      ;;
    *) die "the engine is debian-12 or debian-13, not $release" ;;
  esac
  check_ranges
  mkdir -p "$dir"
  ip link add "$BRIDGE" type bridge
  ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  echo '{}' >"$dir/daemon.json"
  # The daemon must inherit no file descriptor but its standard streams: the caller runs under
  # flock /tmp/engine.lock, and a daemon holding that descriptor would hold the lock after it.
  (
    for fd in /proc/"$BASHPID"/fd/*; do
      fd=${fd##*/}
      if ((fd > 2)); then eval "exec $fd>&-"; fi
    done
    # Docker 26: the tree's /usr (and /etc/alternatives, where its iptables points) in a mount
    # namespace of the daemon's own, as setup.sh starts the first engine.
    run=(dockerd)
    if [[ -n $tree ]]; then
      # shellcheck disable=SC2016 # expanded by the inner bash
      run=(unshare --mount --propagation slave -- bash -c 'mount --rbind "$0/usr" /usr && mount --bind "$0/etc/alternatives" /etc/alternatives && exec dockerd "$@"' "$tree")
    fi
    exec nohup "${run[@]}" \
      --config-file "$dir/daemon.json" \
      -H "unix://$dir/docker.sock" \
      --data-root "$dir/data" \
      --exec-root "$dir/exec" \
      --pidfile "$dir/docker.pid" \
      --bridge "$BRIDGE" \
      --iptables=false --ip-masq=false --ip-forward=false \
      --default-address-pool "base=$POOL,size=24" \
      --containerd-namespace zcmove --containerd-plugins-namespace zcmove-plugins \
      >"$dir/dockerd.log" 2>&1 </dev/null
  ) &
  for _ in $(seq 1 60); do
    if docker -H "unix://$dir/docker.sock" info >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  tail -n 20 "$dir/dockerd.log" >&2 || true
  die "dockerd under $dir did not answer within 60 s"
}

[[ $EUID -eq 0 ]] || die "run as root"
case "${1:-} $#" in
  "start 2" | "start 3") start_engine "$2" "${3:-}" ;;
  "stop 2") stop_engine "$2" ;;
  *) die "usage: $0 start <dir> [debian-12|debian-13] | stop <dir>" ;;
esac
