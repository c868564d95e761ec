#!/usr/bin/env bash
# Makes sure the real telemetry loop (test/loop) can run: Debian 12's OpenStack Zed services
# (python3-keystone 22, python3-heat 19.0.0, python3-gnocchi 4.4, python3-aodh 15) and PostgreSQL 15,
# used as Python libraries under Debian's /usr/bin/python3. The loop harness starts its own
# processes on 127.0.0.1 with configuration in a temp folder; no system daemon is started or enabled.
# Idempotent: exits at once when everything imports. Installs with apt when missing and we are root;
# otherwise says what to install and fails (the loop never passes by skipping).
set -euo pipefail
PKGS="python3-keystone python3-heat python3-gnocchi python3-aodh postgresql-15 python3-psycopg2"
check() {
  /usr/bin/python3 -c 'import keystone.server.wsgi, heat.engine, gnocchi.rest, aodh.evaluator, psycopg2' >/dev/null 2>&1 &&
    [ -x /usr/lib/postgresql/15/bin/postgres ]
}
if check; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The telemetry loop needs Debian 12 packages: run 'sudo apt-get install -y --no-install-recommends $PKGS'" >&2
  exit 1
fi
echo "Installing Debian's OpenStack Zed telemetry packages (a few minutes, once)..." >&2
export DEBIAN_FRONTEND=noninteractive
# Package maintainer scripts must not start system daemons: the loop starts its own processes.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial -e auxfiles)" ]; then
  apt-get update -qq
fi
apt-get install -y -qq --no-install-recommends $PKGS >/dev/null
check || { echo "telemetry packages installed but do not import" >&2; exit 1; }
