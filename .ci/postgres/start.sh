#!/bin/bash
# Starts a throwaway PostgreSQL server for the PostgreSQL result-store tests: Debian's postgresql
# binaries, a cluster made with initdb under $M2VAE_PG_STATE (default /tmp/m2vae-pg), listening
# on 127.0.0.1:$M2VAE_PG_PORT (default 15432) with trust authentication, and a database m2vae.
# Prints the M2VAE_PG_URL to export. Run as root, the cluster belongs to the postgres user (the
# server refuses to run as root); otherwise to the caller. Idempotent: a running server is kept.
set -euo pipefail
state=${M2VAE_PG_STATE:-/tmp/m2vae-pg}
port=${M2VAE_PG_PORT:-15432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "postgresql is not installed (apt-get install postgresql)" >&2; exit 1; }
owner=$(id -un)
if [ "$(id -u)" = 0 ]; then owner=postgres; fi
as() { if [ "$owner" = "$(id -un)" ]; then "$@"; else runuser -u "$owner" -- "$@"; fi; }
mkdir -p "$state"
chown "$owner" "$state" 2>/dev/null || true
if [ ! -s "$state/data/PG_VERSION" ]; then
  as "$bin/initdb" -D "$state/data" -U postgres -A trust -E UTF8 --no-locale > "$state/initdb.log"
fi
if ! as "$bin/pg_ctl" -D "$state/data" status > /dev/null 2>&1; then
  as "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w -t 60 \
    -o "-p $port -k $state -c listen_addresses=127.0.0.1 -c fsync=off" start > /dev/null
fi
for _ in $(seq 1 60); do
  if as "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
    as "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -Atqc \
      "SELECT 1 FROM pg_database WHERE datname = 'm2vae'" | grep -q 1 ||
      as "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres m2vae
    echo "M2VAE_PG_URL=postgres://postgres@127.0.0.1:$port/m2vae"
    exit 0
  fi
  sleep 1
done
echo "postgresql did not come up; see $state/server.log" >&2
exit 1
