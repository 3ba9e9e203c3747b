#!/usr/bin/env bash
# Make sure the services the test suite talks to run on loopback: PostgreSQL, Redis, Chromium.
# Installs them from Debian's packages when missing (needs root, as on CI), starts them when stopped.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_ready() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

ensure_postgres() {
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  if ! pg_ready; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 50); do pg_ready && break; sleep 0.2; done
  fi
  # Tests connect as postgres/postgres over TCP; trust or password authentication both work.
  if ! PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1" >/dev/null 2>&1; then
    as_root su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  fi
}

ensure_redis() {
  command -v redis-server >/dev/null || apt_install redis-server
  if ! redis_ready; then
    mkdir -p /tmp/statex-redis
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir /tmp/statex-redis --logfile /tmp/statex-redis/redis.log
    for _ in $(seq 50); do redis_ready && break; sleep 0.1; done
  fi
}

ensure_packages() {
  # Chromium for the browser tests; the OCR and speech tools for the AI pipeline's tests.
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v espeak-ng >/dev/null || missing+=(espeak-ng)
  ldconfig -p | grep -q 'libmagic\.so\.1' || missing+=(libmagic1)
  command -v tesseract >/dev/null || missing+=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-ces)
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)  # offer PDFs too
  # WeasyPrint (offer PDFs): Pango to lay out text, HarfBuzz's subsetter to embed only the letters used.
  ldconfig -p | grep -q 'libpangoft2-1\.0\.so\.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
  ldconfig -p | grep -q 'libharfbuzz-subset\.so\.0' || missing+=(libharfbuzz-subset0)
  ldconfig -p | grep -q 'libGL\.so\.1' || missing+=(libgl1)  # OpenCV, under the bundled OCR engine
  [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v pg_dump >/dev/null || missing+=(postgresql-client)  # statex backup and restore
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

ensure_postgres
ensure_redis
ensure_packages
pg_ready && redis_ready && echo "services: PostgreSQL and Redis are up on 127.0.0.1"
