#!/usr/bin/env bash
# Builds codehub/judge-runtime:<VERSION> without an image registry: a Debian root file
# system made with debootstrap from the mirror this machine's apt uses, the packages of
# packages.txt installed in it, imported with `docker import`. Idempotent: does nothing
# when the image exists. Needs root, docker, and network access to the Debian mirror.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$(tr -d '[:space:]' < "$here/VERSION")
tag="codehub/judge-runtime:$version"
log() { printf 'judge-runtime: %s\n' "$*" >&2; }

if docker image inspect "$tag" >/dev/null 2>&1; then
  log "$tag exists"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { log "needs root (debootstrap, chroot)"; exit 2; }
if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
fi

# The mirror and suite apt is configured with (deb822 .sources first, then sources.list).
mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -e "$f" ] || continue
  mirror=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f")
  [ -n "$mirror" ] && break
done
if [ -z "$mirror" ] && [ -e /etc/apt/sources.list ]; then
  mirror=$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list)
fi
[ -n "$mirror" ] || { log "cannot find a Debian mirror in the apt sources"; exit 2; }
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
packages=$(grep -v '^#' "$here/packages.txt" | xargs)
log "debootstrap $suite from $mirror; packages: $packages"

root=$(mktemp -d /tmp/codehub-judge-runtime.XXXXXX)
cleanup() {
  umount "$root/proc" 2>/dev/null || true
  rm -rf "$root"
}
trap cleanup EXIT
debootstrap --variant=minbase "$suite" "$root" "$mirror" >&2
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
chroot "$root" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends $packages >&2
chroot "$root" apt-get clean
umount "$root/proc"
rm -rf "$root"/var/lib/apt/lists/* "$root"/tmp/* "$root/etc/resolv.conf"
log "importing as $tag"
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  - "$tag" >&2
log "done: $tag"
