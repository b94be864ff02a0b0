import assert from "node:assert/strict";
import { join } from "node:path";
import {
  shellQuote,
  slurmResources,
  slurmScript,
  slurmSettings,
  submitSlurm,
  writeSlurmScript,
} from "./slurm.ts";

const BASE = {
  experiment: "grid_alpha_beta",
  store: "/shared/lab/store.sqlite",
  workdir: "/shared/m2vae",
  logDir: "/shared/lab/logs",
  tasks: 8,
};

Deno.test("slurmScript: a job array of workers with the resources asked for", () => {
  const s = slurmScript({
    ...BASE,
    concurrent: 3,
    partition: "cpu",
    time: "04:00:00",
    cpusPerTask: 2,
    mem: "8G",
    extra: ["--account=lab", "#SBATCH --qos=long"],
    setup: "module load nodejs",
    deno: "/opt/deno",
    workerArgs: ["--cache-dir", "/shared/cache it"],
    leaseSeconds: 120,
    requeue: true,
  });
  const lines = s.split("\n");
  assert.equal(lines[0], "#!/bin/bash");
  for (
    const want of [
      "#SBATCH --job-name=m2vae-grid_alpha_beta",
      "#SBATCH --array=0-7%3",
      "#SBATCH --cpus-per-task=2",
      "#SBATCH --output=/shared/lab/logs/%x-%A_%a.out",
      "#SBATCH --partition=cpu",
      "#SBATCH --time=04:00:00",
      "#SBATCH --mem=8G",
      "#SBATCH --requeue",
      "#SBATCH --account=lab",
      "#SBATCH --qos=long",
      "cd '/shared/m2vae'",
      "module load nodejs",
      "export M2VAE_LEASE_SECONDS=120",
      "exec '/opt/deno' run -A --config '/shared/m2vae/deno.json' '/shared/m2vae/cli/main.ts' " +
      "worker --store '/shared/lab/store.sqlite' --experiment 'grid_alpha_beta' " +
      "--wait-for-running '--cache-dir' '/shared/cache it'",
    ]
  ) assert.ok(lines.includes(want), `${want}\n---\n${s}`);
  // Every #SBATCH line comes before the first command, as sbatch requires.
  const firstCommand = lines.findIndex((l) => l && !l.startsWith("#"));
  assert.ok(lines.slice(firstCommand).every((l) => !l.startsWith("#SBATCH")));
  // Without options: no partition, time or memory; the whole array at once.
  const plain = slurmScript(BASE);
  assert.match(plain, /^#SBATCH --array=0-7$/m);
  assert.doesNotMatch(plain, /--partition|--time|--mem|--requeue|M2VAE_LEASE_SECONDS/);
  assert.throws(
    () => slurmScript({ ...BASE, tasks: 0 }),
    /slurm tasks: expected a positive integer/,
  );
  assert.throws(
    () => slurmScript({ ...BASE, partition: "a\nb" }),
    /slurm partition: must be one line/,
  );
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
});

Deno.test("submitSlurm: sbatch --parsable with the script, the job id back; a fake sbatch on PATH", async () => {
  const dir = await Deno.makeTempDir({ prefix: "slurm_test_" });
  try {
    const bin = join(dir, "bin");
    await Deno.mkdir(bin);
    await Deno.writeTextFile(
      join(bin, "sbatch"),
      `#!/bin/sh\necho "$@" > "${dir}/args"\ncp "$2" "${dir}/submitted"\necho "4242;cluster"\n`,
      { mode: 0o755 },
    );
    const script = slurmScript({ ...BASE, logDir: join(dir, "logs") });
    const path = await writeSlurmScript(join(dir, "jobs", "grid.sbatch"), script);
    assert.ok((await Deno.stat(join(dir, "logs"))).isDirectory);
    const path0 = Deno.env.get("PATH");
    Deno.env.set("PATH", `${bin}:${path0}`);
    try {
      assert.equal(await submitSlurm(path), "4242");
    } finally {
      Deno.env.set("PATH", path0!);
    }
    assert.equal((await Deno.readTextFile(join(dir, "args"))).trim(), `--parsable ${path}`);
    assert.equal(await Deno.readTextFile(join(dir, "submitted")), script);
    // A refused submission and a missing sbatch are one line each.
    await Deno.writeTextFile(
      join(bin, "no"),
      "#!/bin/sh\necho 'sbatch: error: invalid partition' >&2\nexit 1\n",
      { mode: 0o755 },
    );
    await assert.rejects(
      () => submitSlurm(path, join(bin, "no")),
      /refused .*grid\.sbatch: sbatch: error: invalid partition$/,
    );
    await assert.rejects(() => submitSlurm(path, join(dir, "nosuch")), /nosuch: not found on PATH/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("slurmSettings: --slurm key=value pairs; a wrong key names the known ones", () => {
  assert.deepEqual(
    slurmSettings([
      "partition=cpu",
      "time=1-00:00:00",
      "cpus=2",
      "mem=8G",
      "concurrent=4",
      "sbatch=--account=lab",
      "sbatch=--qos=long",
      "setup=module load nodejs",
      "lease=120",
      "requeue=true",
      "name=t3",
    ]),
    {
      partition: "cpu",
      time: "1-00:00:00",
      cpusPerTask: 2,
      mem: "8G",
      concurrent: 4,
      extra: ["--account=lab", "--qos=long"],
      setup: "module load nodejs",
      leaseSeconds: 120,
      requeue: true,
      jobName: "t3",
    },
  );
  assert.throws(
    () => slurmSettings(["partion=cpu"]),
    /--slurm partion=cpu: expected key=value with key one of partition, time/,
  );
  assert.throws(
    () => slurmSettings(["cpus=two"]),
    /--slurm cpus: expected a positive integer, got "two"/,
  );
});

Deno.test("slurmResources: an experiment's slurm: block, each --slurm flag overriding its key", () => {
  const block = {
    partition: "cpu",
    time: "04:00:00",
    cpusPerTask: 2,
    memory: "8G",
    extra: ["--account=lab"],
    setup: "module load nodejs",
  };
  assert.deepEqual(slurmResources(block), {
    partition: "cpu",
    time: "04:00:00",
    cpusPerTask: 2,
    mem: "8G",
    extra: ["--account=lab"],
    setup: "module load nodejs",
  });
  assert.deepEqual(
    slurmResources(block, slurmSettings(["mem=16G", "partition=gpu", "sbatch=--qos=long"])),
    {
      partition: "gpu",
      time: "04:00:00",
      cpusPerTask: 2,
      mem: "16G",
      extra: ["--qos=long"],
      setup: "module load nodejs",
    },
  );
  assert.deepEqual(slurmResources({}, slurmSettings(["cpus=3"])), { cpusPerTask: 3 });
  assert.deepEqual(slurmResources({}), {});
});
