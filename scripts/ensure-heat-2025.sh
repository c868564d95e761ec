#!/usr/bin/env bash
# Makes sure the second Heat validator can run: OpenStack 2025.1 "Epoxy" (Heat 24, Debian 13 trixie's
# python3-heat) in a minimal trixie root under .cache/trixie, built with debootstrap from Debian's
# mirror. Idempotent: when the root is complete it only checks a marker (milliseconds).
# Needs root (debootstrap and chroot); installs debootstrap with apt when missing. Otherwise it says
# what to run and fails (the 2025.1 validator test never passes by skipping).
#   HEAT_2025_ROOT    where the root goes (default: <repo>/.cache/trixie)
#   DEBIAN_MIRROR     the Debian mirror (default: the one apt uses here, else http://deb.debian.org/debian)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="${HEAT_2025_ROOT:-$PWD/.cache/trixie}"
MARKER="$ROOT/.scaleout-heat-2025.1"

if [ -f "$MARKER" ] && [ -x "$ROOT/usr/bin/python3" ] && [ -d "$ROOT/usr/lib/python3/dist-packages/heat/engine" ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "The Heat 2025.1 validator needs a Debian 13 root in $ROOT: run 'sudo bash scripts/ensure-heat-2025.sh'" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! command -v debootstrap >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "The Heat 2025.1 validator needs debootstrap (Debian's package), which is missing" >&2
    exit 1
  fi
  echo "Installing debootstrap..." >&2
  apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }
fi

# The mirror apt already uses on this machine (deb822 or one-line sources), else Debian's CDN.
mirror="${DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  mirror="$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | grep -oE 'https?://[^ ]+/debian/?( |$)' | head -1 | tr -d ' ' || true)"
  mirror="${mirror:-http://deb.debian.org/debian}"
fi

echo "Building a Debian 13 (trixie) root with Heat 2025.1 in $ROOT (a few minutes, once)..." >&2
PARTIAL="$ROOT.partial"
# A run that was killed may have left debootstrap's /proc and /sys mounted in the partial root:
# unmount them before deleting it, and never cross into another file system while deleting.
if [ -d "$PARTIAL" ]; then
  awk -v p="$PARTIAL/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l
  rm -rf --one-file-system "$PARTIAL"
fi
mkdir -p "$(dirname "$ROOT")"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
debootstrap --variant=minbase ${keyring:+--keyring=$keyring} trixie "$PARTIAL" "$mirror" >"$PARTIAL.log" 2>&1 \
  || { tail -20 "$PARTIAL.log" >&2; echo "debootstrap failed (log: $PARTIAL.log)" >&2; exit 1; }
# No daemons may start inside the root; dpkg skips fsync (a throw-away cache) and leaves out
# documentation, man pages and translations, which nothing here reads.
printf '#!/bin/sh\nexit 101\n' >"$PARTIAL/usr/sbin/policy-rc.d"
chmod +x "$PARTIAL/usr/sbin/policy-rc.d"
printf '%s\n' force-unsafe-io 'path-exclude=/usr/share/doc/*' 'path-exclude=/usr/share/man/*' \
  'path-exclude=/usr/share/locale/*' 'path-exclude=/usr/share/info/*' >"$PARTIAL/etc/dpkg/dpkg.cfg.d/scaleout"
chroot "$PARTIAL" apt-get install -y -qq --no-install-recommends python3-heat >>"$PARTIAL.log" 2>&1 \
  || { tail -20 "$PARTIAL.log" >&2; echo "installing python3-heat in the trixie root failed (log: $PARTIAL.log)" >&2; exit 1; }
chroot "$PARTIAL" apt-get clean
chroot "$PARTIAL" /usr/bin/python3 -c 'import heat.engine'
chroot "$PARTIAL" dpkg-query -W -f='python3-heat ${Version}\n' python3-heat >"$PARTIAL/.scaleout-heat-2025.1"
rm -rf --one-file-system "$ROOT"
rm -f "$PARTIAL.log"
mv "$PARTIAL" "$ROOT"
cat "$MARKER" >&2
