#!/usr/bin/env bash
# Print the build arguments that name the Dockerfile's base images (PYTHON_IMAGE=..., NODE_IMAGE=...).
# The public bases when they are here or can be pulled; where no registry answers, bases made from
# Debian's packages (debootstrap --variant=minbase, then `docker import`), once: a base whose tag
# (a hash of this recipe, the mirror and the machine's trust store) exists is reused.
set -euo pipefail

PUBLIC_PYTHON=$(sed -n 's/^ARG PYTHON_IMAGE=//p' "$(dirname "$0")/../Dockerfile")
PUBLIC_NODE=$(sed -n 's/^ARG NODE_IMAGE=//p' "$(dirname "$0")/../Dockerfile")
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
PYTHON_PACKAGES=python3,python3-venv,python-is-python3,ca-certificates
NODE_PACKAGES=nodejs,npm

have_or_pull() { docker image inspect "$1" >/dev/null 2>&1 || timeout 300 docker pull -q "$1" >/dev/null 2>&1; }

# The Debian mirror and suite apt uses on this machine (deb822 .sources or one-line .list files).
apt_source() {
  local sources
  sources=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  if grep -q '^URIs:.*/debian/\?$' <<<"$sources"; then
    awk '/^URIs:/ {u=$2} /^Suites:/ {s=$2} /^$/ {if (u ~ /\/debian\/?$/) {print u, s; exit}} END {if (u ~ /\/debian\/?$/) print u, s}' \
      <<<"$sources" | head -n 1
  else
    grep -hE '^deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | grep -E '/debian/?\s' | awk '{print $2, $3}' | head -n 1
  fi
}

make_bases() {
  local mirror=$1 suite=$2 python_tag=$3 node_tag=$4 root
  root=$(mktemp -d /var/tmp/statex-base.XXXXXX)
  trap 'rm -rf "$root" "$root.log"; trap - RETURN' RETURN
  echo "bases: debootstrap $suite from $mirror (log: $root.log)" >&2
  debootstrap --variant=minbase --include="$PYTHON_PACKAGES" "$suite" "$root" "$mirror" >"$root.log" 2>&1 \
    || { tail -n 30 "$root.log" >&2; return 1; }
  # The machine's trust store (its package downloads need an authority it holds), kept through any
  # later update-ca-certificates; pip reads it through /etc/pip.conf, as on this machine.
  install -D -m 0644 "$CA_BUNDLE" "$root/usr/local/share/ca-certificates/statex-machine.crt"
  cp "$CA_BUNDLE" "$root/etc/ssl/certs/ca-certificates.crt"
  printf '[global]\ncert = %s\n' "$CA_BUNDLE" >"$root/etc/pip.conf"
  # apt in the image uses this machine's Debian sources (its security suite too), nothing else.
  rm -f "$root/etc/apt/sources.list"
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] && grep -q '/debian' "$f" && cp "$f" "$root${f}"
  done
  chroot "$root" apt-get clean
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
  import "$root" "$python_tag"
  echo "bases: adding Node to $node_tag" >&2
  chroot "$root" apt-get update -qq >>"$root.log" 2>&1
  chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    ${NODE_PACKAGES//,/ } >>"$root.log" 2>&1 || { tail -n 30 "$root.log" >&2; return 1; }
  chroot "$root" apt-get clean
  rm -rf "$root"/var/lib/apt/lists/*
  import "$root" "$node_tag"
}

import() {
  tar -C "$1" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change "ENV NODE_EXTRA_CA_CERTS=$CA_BUNDLE" \
    --change 'CMD ["bash"]' - "$2" >/dev/null
  echo "bases: made $2 ($(docker image inspect --format '{{.Size}}' "$2" | numfmt --to=iec))" >&2
}

main() {
  if have_or_pull "$PUBLIC_PYTHON" && have_or_pull "$PUBLIC_NODE"; then
    echo "PYTHON_IMAGE=$PUBLIC_PYTHON NODE_IMAGE=$PUBLIC_NODE"
    return
  fi
  local mirror suite key
  read -r mirror suite < <(apt_source)
  [ -n "${mirror:-}" ] || { echo "bases: no Debian mirror in /etc/apt/sources.list*" >&2; exit 1; }
  command -v debootstrap >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  # The recipe (packages, the functions that make and import the bases), the mirror and the trust store.
  key=$(cat <(declare -f make_bases import; echo "$PYTHON_PACKAGES $NODE_PACKAGES $mirror $suite") "$CA_BUNDLE" \
        | sha256sum | cut -c1-12)
  local python_tag="statex-base/python:$suite-$key" node_tag="statex-base/node:$suite-$key"
  if ! docker image inspect "$python_tag" "$node_tag" >/dev/null 2>&1; then
    make_bases "$mirror" "$suite" "$python_tag" "$node_tag"
  fi
  echo "PYTHON_IMAGE=$python_tag NODE_IMAGE=$node_tag"
}

main
