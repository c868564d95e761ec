#!/usr/bin/env bash
# Makes sure Heat's own template validator can run: Debian's python3-heat (Heat 19.0.0, OpenStack Zed 2022.2),
# used through Debian's /usr/bin/python3. Installs it with apt when missing and we are root;
# otherwise says how to install it and fails (the Heat validator test never passes by skipping).
set -euo pipefail
if /usr/bin/python3 -c 'import heat.engine' >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Heat's validator needs Debian's python3-heat: run 'sudo apt-get install -y --no-install-recommends python3-heat'" >&2
  exit 1
fi
echo "Installing Debian's python3-heat (about 1.5 minutes, once)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3-heat >/dev/null
/usr/bin/python3 -c 'import heat.engine'
