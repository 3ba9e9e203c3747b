#!/bin/sh
# The image's entrypoint (under tini). Arguments that are not a program are a statex command, so
# `docker run IMAGE worker ai` and `docker run IMAGE statex worker ai` both run `statex worker ai`,
# while `docker run IMAGE sh` runs a shell.
set -e
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ] || ! command -v "$1" >/dev/null 2>&1; then
  set -- statex "$@"
fi
# `statex up` with no service named runs on embedded defaults, which the image's production
# default (STATEX_ENV=production) refuses: that one-container trial runs as development.
if [ "$1" = statex ] && [ "${2:-}" = up ] && [ "${STATEX_ENV:-}" = production ] \
   && [ -z "${DATABASE_URL:-}${REDIS_URL:-}${S3_BUCKET:-}" ]; then
  echo "statex up on embedded defaults (no DATABASE_URL, REDIS_URL or S3_BUCKET): STATEX_ENV=development" >&2
  export STATEX_ENV=development
fi
exec "$@"
