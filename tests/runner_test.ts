/**
 * End-to-end tests of the experiment runner: dry runs of every shipped experiment, grid search
 * with worker processes surviving a kill -9, Table 4 and grid reports from the store, the
 * metric-regression check failing on a perturbed metric, and bad stores and search spaces.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { loadExperiment } from "../lib/config/mod.ts";
import { planTrials } from "../lib/run/mod.ts";
import { ResultStore } from "../lib/store/mod.ts";

const root = new URL("..", import.meta.url).pathname;

function command(args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(root, "cli/main.ts"), ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  });
}

async function cli(...args: string[]) {
  const out = await command(args).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function workspace(text: string) {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "exp.yaml");
  await Deno.writeTextFile(file, text);
  return { dir, file, out: join(dir, "out"), store: join(dir, "store.sqlite") };
}

function statuses(store: string): Record<string, string> {
  const db = new DatabaseSync(store);
  try {
    const rows = db.prepare("SELECT key, status, finished_at FROM trials").all() as any[];
    return Object.fromEntries(rows.map((r) => [r.key, `${r.status}@${r.finished_at}`]));
  } finally {
    db.close();
  }
}

const GRID = `
name: tiny_grid
datasets:
  synthetic: { users: 120, items: 100, seed: 3 }
models:
  clcrec: { dim: 8, hidden: 16, attrDim: 8, negatives: 8 }
  random: {}
search:
  space:
    tau: [0.5, 2.0]
    lambda: [0.3, 0.7]
seeds: 2
settings: { epochs: 2, batchSize: 256 }
`;

Deno.test("dry-run resolves every shipped experiment without training", async () => {
  for (const f of [...Deno.readDirSync(join(root, "experiments"))].map((e) => e.name)) {
    if (!f.endsWith(".yaml")) continue;
    // Planning only: the real sets are not under this folder (the bad-input test loads data).
    const r = await cli("run", `experiments/${f}`, "--dry-run", "--no-data-check");
    assert.equal(r.code, 0, `${f}: ${r.stderr}`);
    assert.match(r.stdout, /^experiment \S+ \(experiments\/.+\): \d+ trials/);
  }
  const r = await cli("grid", "experiments/grid_alpha_beta.yaml", "--dry-run");
  assert.match(r.stdout, /27 trials, 3 seed\(s\)/);
  assert.match(r.stdout, /M2VAE: 9 configuration\(s\) × 3 seed\(s\)/);
});

Deno.test("grid with --jobs 2 survives kill -9 and finishes on rerun without redoing trials", async () => {
  const w = await workspace(GRID);
  const args = ["grid", w.file, "--store", w.store, "--out", w.out, "--jobs", "2", "--quiet"];
  const child = command(args).spawn();
  // Kill coordinator and workers as soon as at least one trial is done.
  let done: string[] = [];
  for (let t = 0; t < 600 && done.length === 0; t++) {
    await new Promise((r) => setTimeout(r, 200));
    try {
      done = Object.values(statuses(w.store)).filter((s) => s.startsWith("done"));
    } catch { /* store not created yet */ }
  }
  assert.ok(done.length > 0, "no trial finished");
  await new Deno.Command("pkill", { args: ["-9", "-f", w.store] }).output();
  await child.status;
  child.stdout.cancel();
  child.stderr.cancel();
  const before = statuses(w.store);
  const finished = Object.entries(before).filter(([, s]) => s.startsWith("done"));
  assert.ok(finished.length < 10, "everything finished before the kill");
  const r = await cli(...args);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`10 trials, ${finished.length} already done`));
  // --quiet reaches the worker processes: no step progress from them either.
  assert.match(r.stderr, /\(2 workers\)/);
  assert.doesNotMatch(r.stderr, /\[[#.]{24}\] \d+\/\d+|: valid NDCG@10/);
  const after = statuses(w.store);
  for (const [k, s] of finished) assert.equal(after[k], s, "a completed trial was redone");
  assert.ok(Object.values(after).every((s) => s.startsWith("done")));
  // The grid table marks the selected cell; Table 3 reports it.
  assert.match(r.stdout, /Grid: synthetic, CLCRec, validation NDCG@10 over tau × lambda/);
  assert.match(r.stdout, /◀/);
  assert.match(r.stdout, /\| CLCRec +\|/);
});

Deno.test("ablate prints Table 4 and report renders LaTeX and CSV from the store", async () => {
  const w = await workspace(`
name: tiny_ablation
datasets:
  synthetic: { users: 120, items: 100, seed: 2 }
models:
  m2vae: &s { dim: 8, decoderHidden: 8, attnHidden: 8, gateHidden: 8, cp: 2, cn: 4, rankNegatives: users }
  "m2vae (w/o SG)": *s
seeds: [1, 2]
settings: { epochs: 1, batchSize: 512 }
`);
  const r = await cli("ablate", w.file, "--store", w.store, "--out", w.out, "--quiet");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Table 4 layout \(item2user\): ablations/);
  assert.match(r.stdout, /\| Variant +\| +synthetic HR@5 +\| +synthetic NDCG@5 +\|/);
  assert.match(r.stdout, /\| M2VAE w\/o SG +\|/);
  // One epoch is not convergence: the caption names the rows whose kept step was the last.
  assert.match(
    r.stdout,
    /Still improving at the cap \(kept checkpoint = last validation\): [^.]*M2VAE w\/o SG \(synthetic 2 of 2 seeds\)/,
  );
  const tex = await cli("report", "--store", w.store, "--format", "latex", "--layout", "table4");
  assert.equal(tex.code, 0, tex.stderr);
  assert.match(tex.stdout, /\\begin\{tabular\}\{lrr\}/);
  assert.match(tex.stdout, /\\multicolumn\{2\}\{c\}\{synthetic\}/);
  const csv = await cli("report", "--store", w.store, "--format", "csv", "--layout", "table3");
  assert.match(csv.stdout, /^table,section,row,group,column,text,mean,std,n,mark,selected,sig/);
  const diag = await cli("report", "--store", w.store, "--layout", "diagnostics");
  assert.equal(diag.code, 0, diag.stderr);
  assert.match(diag.stdout, /\*\*Diagnostics\.\*\*/);
  assert.match(diag.stdout, /\| Diagnostic +\| +synthetic M2VAE +\| +synthetic M2VAE w\/o SG +\|/);
  // A row whose kept checkpoint is the one before training has no loss terms: "–" there.
  for (const key of ["gap.shared", "gates.sdUsers", "post.fused.active", "dcl.ratio", "loss.bpr"]) {
    assert.match(
      diag.stdout,
      new RegExp(`\\| ${key.replace(".", "\\.")} +\\|(?:[^|\\n]*\\|)*? +-?\\d`),
      key,
    );
  }
  const files = [...Deno.readDirSync(w.out)].map((e) => e.name);
  assert.ok(files.some((f) => f.includes("_diagnostics_")), `report files: ${files}`);
  // The synthetic set stands for none of the paper's columns: one line says so, exit 0.
  const paper = await cli("report", "--store", w.store, "--layout", "paper");
  assert.equal(paper.code, 0, paper.stderr);
  assert.equal(paper.stdout.trim(), "");
  assert.match(paper.stderr, /tiny_ablation: no table beside the paper: no dataset of it stands/);
});

Deno.test("regress passes on its own expectations and fails when a metric is perturbed", async () => {
  const w = await workspace(`
name: tiny_regression
datasets:
  synthetic: { users: 120, items: 100, seed: 4 }
models: [random, popularity]
seeds: [1]
settings: { epochs: 1 }
`);
  const expected = join(w.dir, "expected.json");
  const base = ["regress", "--experiment", w.file, "--expected", expected];
  const up = await cli(...base, "--update");
  assert.equal(up.code, 0, up.stderr);
  const file = JSON.parse(await Deno.readTextFile(expected));
  assert.equal(file.results.length, 2 * 4);
  const ok = await cli(...base);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, /all 8 metrics within tolerance/);
  file.results[3].value += 0.05;
  await Deno.writeTextFile(expected, JSON.stringify(file));
  const bad = await cli(...base);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /FAIL/);
  assert.match(bad.stderr, /1 of 8 metrics out of tolerance/);
});

Deno.test("a corrupt store, an unknown search key and a bad --jobs are one-line errors", async () => {
  const w = await workspace(GRID);
  await Deno.writeTextFile(w.store, "this is not a database, just text ".repeat(200));
  const r = await cli("run", w.file, "--store", w.store);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /store\.sqlite: not a result store or corrupt/);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.equal(await Deno.readTextFile(w.store), "this is not a database, just text ".repeat(200));
  const typo = await cli(
    "run",
    w.file,
    "--store",
    join(w.dir, "s2.sqlite"),
    "--set",
    "search.space.tua=[1]",
  );
  assert.equal(typo.code, 1);
  assert.match(typo.stderr, /key "search.space.tua": no model of this experiment has "tua"/);
  const jobs = await cli("run", w.file, "--jobs", "0", "--store", join(w.dir, "s3.sqlite"));
  assert.equal(jobs.code, 1);
  assert.match(jobs.stderr, /--jobs: expected a positive integer/);
});

const TWO_SEEDS = `
name: two_seeds
datasets:
  synthetic: { users: 100, items: 80, seed: 2 }
models: [random]
seeds: [1, 2]
settings: { epochs: 1 }
`;

Deno.test("one pending trial with --jobs 2 runs in this process and finishes", async () => {
  const w = await workspace(TWO_SEEDS.replace("seeds: [1, 2]", "seeds: [1]"));
  const r = await cli("run", w.file, "--store", w.store, "--out", w.out, "--jobs", "2", "--quiet");
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /failed|not yet been initialized/);
  assert.match(r.stderr, /1\/1 trials done/);
  // The progress line names no workers: none was started.
  assert.match(r.stderr, /\[trials 0\/1\] elapsed/);
  assert.doesNotMatch(r.stderr, /workers\)/);
  assert.deepEqual(Object.values(statuses(w.store)).map((s) => s.split("@")[0]), ["done"]);
});

Deno.test("a second coordinator on the store: the first to finish exits 0 and names what runs elsewhere", async () => {
  const w = await workspace(TWO_SEEDS);
  // Another coordinator (this test process, alive) has claimed one of the two trials.
  const plan = await loadExperiment(w.file);
  const store = await ResultStore.open(w.store);
  try {
    await store.register(plan.name, plan.file, plan.description, plan, planTrials(plan));
    assert.ok(await store.claim(plan.name));
  } finally {
    await store.close();
  }
  const r = await cli("run", w.file, "--store", w.store, "--out", w.out, "--quiet");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /2 trials, 0 already done, 1 to run, 1 running elsewhere/);
  assert.match(r.stderr, /1\/2 trials done; 1 trial still running in another process/);
  assert.match(r.stdout, /\| Random +\|/);
  const states = Object.values(statuses(w.store)).map((s) => s.split("@")[0]).sort();
  assert.deepEqual(states, ["done", "running"]);
  // With nothing left to run here at all, it says so and reports nothing yet.
  const w2 = await workspace(TWO_SEEDS.replace("seeds: [1, 2]", "seeds: [1]"));
  const plan2 = await loadExperiment(w2.file);
  const s2 = await ResultStore.open(w2.store);
  try {
    await s2.register(plan2.name, plan2.file, plan2.description, plan2, planTrials(plan2));
    assert.ok(await s2.claim(plan2.name));
  } finally {
    await s2.close();
  }
  const idle = await cli("run", w2.file, "--store", w2.store, "--out", w2.out, "--quiet");
  assert.equal(idle.code, 0, idle.stderr);
  assert.match(idle.stderr, /1 trial still running in another process/);
  assert.equal(idle.stdout, "");
});
