/**
 * `deno task test:cluster`: the Slurm executor against a real cluster. A tiny synthetic grid
 * (2 rows × 2 learning rates × 2 seeds, 1 epoch) is submitted with `grid --executor slurm` as a
 * 2-task job array and must complete through sbatch with the same test metrics, trial by trial,
 * as the same grid run locally; then one array task is killed mid-trial (`scancel`) and the sweep
 * must still complete, its trial re-queued and nothing lost. Where `sbatch` is absent it skips
 * with one line; where it is present but no cluster answers, `.ci/slurm/start.sh` starts a
 * single-node one (root, Debian's slurmctld, slurmd and munge). With `M2VAE_PG_URL` set (CI),
 * the sweeps through sbatch write to that PostgreSQL store instead of an SQLite file, as a lab's
 * shared store would be used. Not part of `deno task test`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ResultStore } from "../../lib/store/mod.ts";

const root = new URL("../..", import.meta.url).pathname;

/** The PostgreSQL store the sweeps through sbatch use, when one is given (else SQLite files). */
const PG_URL = Deno.env.get("M2VAE_PG_URL");
/** The store of a sweep through sbatch; `--fresh` reruns a shared PostgreSQL store's trials. */
const sweepStore = (file: string) => PG_URL ? ["--store", PG_URL, "--fresh"] : ["--store", file];
const storeKind = PG_URL ? "PostgreSQL" : "SQLite";

async function sh(cmd: string, args: string[], cwd = root, env: Record<string, string> = {}) {
  const out = await new Deno.Command(cmd, { args, cwd, env, stdout: "piped", stderr: "piped" })
    .output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function onPath(cmd: string): Promise<boolean> {
  return (await sh("sh", ["-c", `command -v ${cmd}`])).code === 0;
}

/**
 * A cluster that answers: the one configured, else a single-node one started here. Returns why
 * not (the test then skips with that line), unless M2VAE_CLUSTER_TEST=required (CI), where a
 * missing cluster fails the test.
 */
async function cluster(): Promise<string | undefined> {
  const why = await noCluster();
  if (why && Deno.env.get("M2VAE_CLUSTER_TEST") === "required") {
    throw new Error(`M2VAE_CLUSTER_TEST=required, but ${why.replace(/^skipped: /, "")}`);
  }
  return why;
}

async function noCluster(): Promise<string | undefined> {
  if (!await onPath("sbatch")) {
    return "skipped: no sbatch on PATH (apt-get install slurmctld slurmd munge, then .ci/slurm/start.sh)";
  }
  if ((await sh("sinfo", ["-h"])).code === 0) return undefined;
  const started = await sh(join(root, ".ci/slurm/start.sh"), []);
  if (started.code !== 0) {
    return `skipped: no Slurm cluster answers and none started: ${started.stderr.trim()}`;
  }
  Deno.env.set("SLURM_CONF", started.stdout.trim().replace(/^SLURM_CONF=/, ""));
  return undefined;
}

const TINY = `name: cluster_tiny
datasets:
  synthetic: { users: 150, items: 120 }
models: [random, clcrec]
search:
  method: grid
  space:
    settings.lr: [1.0e-3, 3.0e-3]
seeds: [1, 2]
settings: { epochs: 1 }
`;

async function cli(dir: string, args: string[]) {
  const r = await sh(Deno.execPath(), [
    "run",
    "-A",
    "--config",
    join(root, "deno.json"),
    join(root, "cli/main.ts"),
    ...args,
  ], dir);
  assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
  return r;
}

async function waitForJob(id: string, timeoutS: number, onTick?: () => Promise<boolean>) {
  const end = Date.now() + timeoutS * 1000;
  for (;;) {
    const q = await sh("squeue", ["-h", "-j", id]);
    if (q.stdout.trim() === "") return;
    if (onTick && await onTick()) continue;
    assert.ok(Date.now() < end, `job ${id} still queued after ${timeoutS}s:\n${q.stdout}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function testMetrics(
  path: string,
  experiment: string,
): Promise<Map<string, Record<string, number>>> {
  const s = await ResultStore.open(path, { mustExist: true });
  try {
    const keys = (await s.trials(experiment)).map((t) => t.spec.key);
    assert.deepEqual(await s.counts(experiment), {
      pending: 0,
      running: 0,
      done: keys.length,
      failed: 0,
    });
    return await s.metrics(keys, "test");
  } finally {
    await s.close();
  }
}

Deno.test("a tiny grid through sbatch completes and equals the local run, metric for metric", async () => {
  const skip = await cluster();
  if (skip) return console.log(skip);
  const dir = await Deno.makeTempDir({ prefix: "cluster_test_" });
  try {
    await Deno.writeTextFile(join(dir, "tiny.yaml"), TINY);
    let t0 = performance.now();
    await cli(dir, ["grid", "tiny.yaml", "--store", "local.sqlite", "--jobs", "2", "--quiet"]);
    const localS = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const sub = await cli(dir, [
      "grid",
      "tiny.yaml",
      ...sweepStore("slurm.sqlite"),
      "--executor",
      "slurm",
      "--jobs",
      "2",
      "--quiet",
    ]);
    const id = /^submitted job (\d+): 2 array task\(s\), script (\S+)$/m.exec(sub.stdout)?.[1];
    assert.ok(id, sub.stdout);
    await waitForJob(id, 600);
    const slurmS = (performance.now() - t0) / 1000;
    const local = await testMetrics(join(dir, "local.sqlite"), "cluster_tiny");
    const slurm = await testMetrics(PG_URL ?? join(dir, "slurm.sqlite"), "cluster_tiny");
    assert.equal(local.size, 8);
    assert.deepEqual(slurm, local);
    const report = await cli(dir, [
      "report",
      "--store",
      PG_URL ?? "slurm.sqlite",
      "--experiment",
      "cluster_tiny",
    ]);
    assert.match(report.stdout, /CLCRec/);
    console.log(
      `tiny grid (8 trials): local --jobs 2 ${localS.toFixed(1)}s, through sbatch ${
        slurmS.toFixed(1)
      }s (${storeKind} store)`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// Trials long enough that task 0 is caught mid-trial on the second's poll: 20 epochs with no
// early stop (about 8 s each on an idle core; 5 epochs, about 2 s, left a window the 1 s poll
// could miss when a busy machine stretched it).
const KILL = `name: cluster_kill
datasets:
  synthetic: { users: 600, items: 450 }
models: [clcrec]
search:
  method: grid
  space:
    settings.lr: [1.0e-3, 3.0e-3]
seeds: [1, 2]
settings: { epochs: 20, patience: 0 }
`;

Deno.test("an array task killed mid-trial: its trial is re-queued, the sweep completes, nothing lost", async () => {
  const skip = await cluster();
  if (skip) return console.log(skip);
  const dir = await Deno.makeTempDir({ prefix: "cluster_kill_" });
  try {
    await Deno.writeTextFile(join(dir, "kill.yaml"), KILL);
    const store = PG_URL ?? join(dir, "kill.sqlite");
    const sub = await cli(dir, [
      "grid",
      "kill.yaml",
      ...sweepStore(store),
      "--executor",
      "slurm",
      "--jobs",
      "2",
      "--slurm",
      "lease=10",
      "--quiet",
    ]);
    const id = /^submitted job (\d+):/m.exec(sub.stdout)?.[1];
    assert.ok(id, sub.stdout);
    let killed: string | undefined;
    await waitForJob(id, 900, async () => {
      if (killed) return false;
      const s = await ResultStore.open(store, { mustExist: true });
      try {
        // Task 0's trial, once it has been training for a second.
        const t = (await s.trials("cluster_kill")).find((t) =>
          t.status === "running" && t.lease?.worker?.endsWith(`slurm ${id}_0`) &&
          Date.now() - Date.parse(t.lease.startedAt!) > 1000
        );
        if (!t) return false;
        killed = t.spec.key;
      } finally {
        await s.close();
      }
      const c = await sh("scancel", [`${id}_0`]);
      assert.equal(c.code, 0, c.stderr);
      return false;
    });
    assert.ok(killed, "task 0 never ran a trial long enough to be killed");
    const s = await ResultStore.open(store, { mustExist: true });
    try {
      const trials = await s.trials("cluster_kill");
      const done = trials.filter((t) => t.status === "done").length;
      const lost = trials.length - done;
      const rerun = trials.find((t) => t.spec.key === killed)!;
      // The killed trial was finished by the other task, once: its metrics are one set.
      assert.match(rerun.worker ?? "", new RegExp(`slurm ${id}_1$`));
      assert.equal((await s.metrics([killed!], "test")).size, 1);
      assert.deepEqual({ done, lost }, { done: 4, lost: 0 });
      const seconds = trials.map((t) => (t.trainSeconds ?? 0).toFixed(1)).join(", ");
      console.log(
        `kill test (${storeKind} store): ${done} finished, 1 re-queued (${killed} killed in task ` +
          `${id}_0, finished by ${id}_1), 0 duplicated, ${lost} lost; training seconds ${seconds}`,
      );
    } finally {
      await s.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
