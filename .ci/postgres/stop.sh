#!/bin/bash
# Stops the server .ci/postgres/start.sh started; its data stays under $M2VAE_PG_STATE (remove
# that folder for a fresh cluster next time).
state=${M2VAE_PG_STATE:-/tmp/m2vae-pg}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -s "$state/data/postmaster.pid" ] || exit 0
owner=$(stat -c %U "$state/data")
if [ "$owner" = "$(id -un)" ]; then
  "$bin/pg_ctl" -D "$state/data" -m fast -w stop > /dev/null
else
  runuser -u "$owner" -- "$bin/pg_ctl" -D "$state/data" -m fast -w stop > /dev/null
fi
exit 0
