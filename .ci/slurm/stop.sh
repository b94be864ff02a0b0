#!/bin/bash
# Stops the cluster .ci/slurm/start.sh started (slurmd, slurmctld; munged stays for others).
state=${M2VAE_SLURM_STATE:-/tmp/m2vae-slurm}
for d in slurmd slurmctld; do
  [ -f "$state/$d.pid" ] && kill "$(cat "$state/$d.pid")" 2>/dev/null
done
exit 0
