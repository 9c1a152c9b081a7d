#!/usr/bin/env bash
# Make sure PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer, starting them
# when they are installed but stopped; create the portal's database. Exits non-zero when a
# service cannot be brought up: the test suite never skips a missing service.
set -euo pipefail

PGHOST=127.0.0.1; PGPORT=5432
DB_NAME="${PORTAL_DB_NAME:-songjiang_pilot}"
export PGPASSWORD=postgres

wait_for() {  # wait_for <seconds> <command...>
  local n=$1; shift
  for _ in $(seq "$n"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  return 1
}

# --- PostgreSQL -------------------------------------------------------------------------
if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
  if [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "Starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  elif command -v pg_createcluster >/dev/null; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    pg_createcluster "$version" main --start
  fi
  wait_for 30 pg_isready -q -h "$PGHOST" -p "$PGPORT" || { echo "ERROR: PostgreSQL is not answering on $PGHOST:$PGPORT" >&2; exit 1; }
fi
# Trust auth (this machine kind) ignores the password; a fresh Debian cluster wants one over TCP.
if ! psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -tAc "select 1" >/dev/null 2>&1; then
  echo "Setting a password for the postgres role (TCP log-in on a fresh Debian cluster)"
  runuser -u postgres -- psql -q -c "ALTER USER postgres PASSWORD 'postgres'"
fi
if [ "$(psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -tAc "select 1 from pg_database where datname='$DB_NAME'")" != "1" ]; then
  psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -qc "CREATE DATABASE $DB_NAME"
fi

# --- Redis ------------------------------------------------------------------------------
if ! redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
  echo "Starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/portal-test.log
  wait_for 20 sh -c "redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG" || { echo "ERROR: Redis is not answering on 127.0.0.1:6379" >&2; exit 1; }
fi
echo "PostgreSQL and Redis are up."
