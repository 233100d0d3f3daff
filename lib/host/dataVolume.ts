/**
 * Tenant data lives on a Hetzner Cloud Volume mounted where Docker keeps its named volumes, so
 * rebuilding, resizing or replacing the server leaves it intact: the next server mounts the same
 * Volume and Docker finds every tenant volume, its metadata included. XFS with user quotas lets
 * each tenant's uid be held to its own disk limit.
 */
export const dataMountPoint = "/var/lib/docker/volumes";

/** The device Hetzner exposes for a Volume attached to the server. */
export function dataVolumeDevice(volumeId: string | number): string {
    return `/dev/disk/by-id/scsi-0HC_Volume_${volumeId}`;
}

/** systemd drop-in: Docker never starts before the data Volume is mounted, at boot included. */
export const dockerNeedsDataVolume = `[Unit]
RequiresMountsFor=${dataMountPoint}
`;

/**
 * The shell step that mounts the data Volume (bash, part of the configure script). It never
 * formats: Hetzner formats the Volume at creation, and a Volume without a file system is refused
 * rather than guessed about. Volumes already on the server disk are refused too: mounting over
 * them would hide tenant data.
 */
export function renderDataVolumeMount(volumeId: string | number): string {
    const device = dataVolumeDevice(volumeId);
    return `mount_data_volume() {
    local device=${device} target=${dataMountPoint} waited=0 line
    until [[ -b $device ]]; do
        ((waited < 120)) || die "the data Volume ($device) did not appear within 120 s: is it attached?"
        sleep 2
        waited=$((waited + 2))
    done
    [[ $(blkid -o value -s TYPE "$device" || true) == xfs ]] ||
        die "$device holds no XFS file system; refusing to format a Volume that may hold data"
    line="$device $target xfs defaults,nofail,uquota,x-systemd.device-timeout=120s 0 2"
    if ! grep -qxF "$line" /etc/fstab; then
        grep -v "[[:space:]]\${target}[[:space:]]" /etc/fstab >/etc/fstab.zeptoclaw-fleet || true
        echo "$line" >>/etc/fstab.zeptoclaw-fleet
        mv -f /etc/fstab.zeptoclaw-fleet /etc/fstab
        systemctl daemon-reload
    fi
    if ! mountpoint -q "$target"; then
        systemctl stop docker.socket docker.service
        if find "$target" -mindepth 1 -maxdepth 1 ! -name metadata.db ! -name backingFsBlockDev | grep -q .; then
            die "$target on the server disk already holds volumes; move them to the data Volume first (docs/operations.md)"
        fi
        mkdir -p "$target"
        mount "$target"
        systemctl start docker.service
        changed+=("$target")
    fi
    findmnt -no OPTIONS "$target" | grep -q usrquota || die "$target is mounted without user quotas (uquota)"
    # After dataVolumeGb grew, Hetzner has resized the Volume; the file system follows (online).
    xfs_growfs "$target" >/dev/null
}
`;
}
