#!/usr/bin/env bash
# Make sure a Docker engine answers: installs Debian's docker.io when dockerd is missing (needs root,
# as on CI) and starts the daemon when none runs. Containers here use the host's network only
# (`--network host`), so the daemon makes no bridge and leaves the host's firewall alone.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
engine_up() { docker info >/dev/null 2>&1; }

if ! engine_up; then
  if ! command -v dockerd >/dev/null; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  fi
  engine_up || {
    log=/var/log/statex-dockerd.log
    as_root bash -c "nohup dockerd --bridge=none --iptables=false --ip-masq=false >>$log 2>&1 &"
    for _ in $(seq 100); do engine_up && break; sleep 0.3; done
    engine_up || { echo "dockerd did not start; see $log" >&2; tail -n 20 "$log" >&2; exit 1; }
  }
fi
echo "docker: engine $(docker version --format '{{.Server.Version}}') ($(docker info --format '{{.Driver}}'))"
