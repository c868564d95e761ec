#!/usr/bin/env bash
# Makes sure Heat's own template validators can run:
# - OpenStack Zed (2022.2): Debian 12's python3-heat (Heat 19.0.0), used through Debian's /usr/bin/python3.
#   Installed with apt when missing and we are root.
# - OpenStack 2025.1 (Epoxy): Debian 13's python3-heat (Heat 24.0.0) in a Debian 13 root under
#   .cache/trixie, built with debootstrap by scripts/ensure-heat-2025.sh (a few minutes, once).
# Otherwise it says how to install them and fails (the Heat validator tests never pass by skipping).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c 'import heat.engine' >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Heat's validator needs Debian's python3-heat: run 'sudo apt-get install -y --no-install-recommends python3-heat'" >&2
    exit 1
  fi
  echo "Installing Debian's python3-heat (about 1.5 minutes, once)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3-heat >/dev/null
  /usr/bin/python3 -c 'import heat.engine'
fi
bash scripts/ensure-heat-2025.sh
