#!/bin/bash
# Starts munged, slurmctld and slurmd as a single-node cluster from .ci/slurm/slurm.conf.in,
# state under $M2VAE_SLURM_STATE (default /tmp/m2vae-slurm); prints the SLURM_CONF to export.
# Needs root (Debian packages slurmctld slurmd munge). Idempotent: a running cluster is kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state=${M2VAE_SLURM_STATE:-/tmp/m2vae-slurm}
conf=$state/slurm.conf
mkdir -p "$state/ctld" "$state/d"
host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
sed -e "s|@HOST@|$host|g" -e "s|@USER@|$(id -un)|g" -e "s|@STATE@|$state|g" \
  -e "s|@CPUS@|$cpus|g" -e "s|@MEM@|$mem|g" -e "s|@CTLD_PORT@|${M2VAE_SLURMCTLD_PORT:-16817}|g" \
  -e "s|@D_PORT@|${M2VAE_SLURMD_PORT:-16818}|g" "$here/slurm.conf.in" > "$conf"
export SLURM_CONF=$conf
if ! pgrep -x munged > /dev/null; then
  mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
  if [ ! -s /etc/munge/munge.key ]; then mungekey --create 2>/dev/null || create-munge-key; fi
  runuser -u munge -- /usr/sbin/munged 2>/dev/null || /usr/sbin/munged --force
fi
[ -f "$state/slurmctld.pid" ] && kill -0 "$(cat "$state/slurmctld.pid")" 2>/dev/null \
  || slurmctld -f "$conf"
[ -f "$state/slurmd.pid" ] && kill -0 "$(cat "$state/slurmd.pid")" 2>/dev/null \
  || slurmd -f "$conf"
for _ in $(seq 1 60); do
  if sinfo -h -o %T 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'; then
    echo "SLURM_CONF=$conf"
    exit 0
  fi
  sleep 1
done
echo "slurm did not come up; see $state/slurmctld.log and $state/slurmd.log" >&2
exit 1
