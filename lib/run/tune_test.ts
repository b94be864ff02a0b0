import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../config/check.ts";
import { loadExperiment } from "../config/experiment.ts";
import { parseSearch } from "../config/search.ts";
import { storeReport } from "../report/mod.ts";
import { tuningNote } from "../report/captions.ts";
import type { TunePreset } from "../config/presets.ts";
import { ResultStore, tuneDecision, type TuneEntry } from "../store/mod.ts";
import { initTf } from "../tf/mod.ts";
import { findCapContinuation } from "./cap_continuation.ts";
import { executeTrial } from "./execute.ts";
import { describePlan } from "./describe_plan.ts";
import { planTrials } from "./plan.ts";
import { runTrials } from "./scheduler.ts";
import { type TrainState, writeTrainState } from "../train/mod.ts";
import { advanceTuning, planTuning, resumeTuning, tuneEntries, tuneRungs } from "./tune.ts";

const CONFIGS = fileURLToPath(new URL("../../configs", import.meta.url));
await initTf();

Deno.test("tuneRungs: the cap divided by powers of eta; given rungs must end at the cap", () => {
  assert.deepEqual(tuneRungs(40, 16, 3), [4, 13, 40]);
  assert.deepEqual(tuneRungs(4, 4, 2), [1, 2, 4]);
  assert.deepEqual(tuneRungs(2, 27, 3), [1, 2]); // fewer rungs when the epochs run out
  assert.deepEqual(tuneRungs(9, 1, 3), [9]);
  assert.deepEqual(tuneRungs(27, 9, 3, [3, 9, 27]), [3, 9, 27]);
  assert.throws(() => tuneRungs(30, 9, 3, [3, 9, 27]), /last rung must be the epoch cap/);
});

/** Entries of one row: `n` configurations, `rungs` rungs, finals for seeds 1–2. */
function row(n: number, rungs: number): TuneEntry[] {
  const out: TuneEntry[] = [];
  for (let c = 0; c < n; c++) {
    const base = { dataset: "d", label: "M", config: c, metric: "NDCG@10" };
    for (let r = 0; r < rungs; r++) out.push({ ...base, rung: r, seed: 1, trial: `c${c}r${r}` });
    out.push({ ...base, rung: -1, seed: 1, trial: `c${c}r${rungs - 1}` });
    out.push({ ...base, rung: -1, seed: 2, trial: `c${c}s2` });
  }
  return out;
}

Deno.test("tuneDecision: promotes the best 1/eta of a finished rung, then releases the choice's seeds", () => {
  const entries = row(4, 3);
  const score: Record<string, number> = { c0r0: 0.1, c1r0: 0.4, c2r0: 0.3, c3r0: 0.2 };
  const state = (k: string) =>
    k in score ? { status: "done" as const, valid: { "NDCG@10": score[k] } } : undefined;
  let d = tuneDecision(entries, 2, state);
  assert.deepEqual(d.alive, [[0, 1, 2, 3], [1, 2]]);
  assert.deepEqual(d.release.map((r) => r.key), ["c0r0", "c1r0", "c2r0", "c3r0", "c1r1", "c2r1"]);
  // Nothing more until the whole rung is finished: one unfinished trial holds the row.
  Object.assign(score, { c1r1: 0.2 });
  assert.equal(tuneDecision(entries, 2, state).alive.length, 2);
  // A failed trial ranks last; the top rung's best is chosen and its seeds released as results.
  const failed = (k: string) => k === "c1r1" ? { status: "failed" as const, valid: {} } : state(k);
  Object.assign(score, { c2r1: 0.1, c2r2: 0.5 });
  d = tuneDecision(entries, 2, failed);
  assert.deepEqual(d.alive, [[0, 1, 2, 3], [1, 2], [2]]);
  assert.equal(d.chosen, 2);
  assert.deepEqual(
    d.release.filter((r) => r.role === "result").map((r) => r.key),
    ["c2r2", "c2s2"],
  );
  // Every configuration failing leaves the row without a result.
  const allFail = () => ({ status: "failed" as const, valid: {} });
  assert.equal(tuneDecision(entries, 2, allFail).failed, true);
});

Deno.test("tuneDecision: a validation metric of NaN ranks last, wherever it stands in the rung", () => {
  const entries = row(4, 3);
  for (const at of ["c0r0", "c1r0", "c3r0"]) {
    const score: Record<string, number> = { c0r0: 0.1, c1r0: 0.4, c2r0: 0.3, c3r0: 0.2, [at]: NaN };
    const state = (k: string) =>
      k in score ? { status: "done" as const, valid: { "NDCG@10": score[k] } } : undefined;
    const finite = Object.entries(score).filter(([, v]) => !Number.isNaN(v))
      .sort((a, b) => b[1] - a[1]).slice(0, 2).map(([k]) => Number(k[1]));
    assert.deepEqual(tuneDecision(entries, 2, state).alive[1], finite.sort(), at);
  }
});

const YAML = `
name: tune_tiny
datasets:
  synthetic: { users: 150, items: 100, seed: 2 }
models:
  popularity: {}
  clcrec: { dim: 16, hidden: 32, attrDim: 16, negatives: 8 }
search: { method: tune, budget: 4, eta: 2, seed: 0 }
seeds: 2
settings: { epochs: 4, patience: 0, batchSize: 256 }
`;

const PRESETS_YAML = `name: presets
datasets:
  synthetic: {}
models:
  m2vae: {}
  m2vae (paper): {}
search: { method: tune, budget: 4, seed: 0 }
seeds: 1
settings: { epochs: 4, patience: 0 }
`;

async function withExperiment(
  fn: (dir: string, load: () => ReturnType<typeof loadExperiment>) => Promise<void>,
  yaml = YAML,
) {
  const dir = await Deno.makeTempDir({ prefix: "tune_test_" });
  try {
    const file = join(dir, "exp.yaml");
    await Deno.writeTextFile(file, yaml);
    await fn(dir, () => loadExperiment(file, { configsDir: CONFIGS, dataRoot: dir }));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function register(store: ResultStore, plan: Awaited<ReturnType<typeof loadExperiment>>) {
  return (await store.register(
    plan.name,
    plan.file,
    "",
    plan,
    planTrials(plan),
    false,
    tuneEntries(planTuning(plan)),
  ));
}

/**
 * The tiny experiment of `yaml` (its plan changed by `adjust`) registered and run to the end in
 * a store of its own, then `fn` (the store closed afterwards).
 */
async function withRunStore(
  yaml: string,
  fn: (store: ResultStore, plan: Awaited<ReturnType<typeof loadExperiment>>) => Promise<void>,
  adjust: (
    plan: Awaited<ReturnType<typeof loadExperiment>>,
  ) => Awaited<ReturnType<typeof loadExperiment>> = (p) => p,
) {
  await withExperiment(async (dir, load) => {
    const plan = adjust(await load());
    const store = await ResultStore.open(join(dir, "store.sqlite"));
    try {
      await register(store, plan);
      await runTrials(store, { experiment: plan.name, jobs: 1, codeVersion: "t", silent: true });
      await fn(store, plan);
    } finally {
      await store.close();
    }
  }, yaml);
}

/** The tiny tuned experiment registered in a store of its own (closed afterwards). */
async function withTunedStore(
  fn: (
    store: ResultStore,
    plan: Awaited<ReturnType<typeof loadExperiment>>,
    path: string,
    dir: string,
  ) => Promise<void>,
) {
  await withExperiment(async (dir, load) => {
    const plan = await load();
    const path = join(dir, "store.sqlite");
    const store = await ResultStore.open(path);
    try {
      await register(store, plan);
      await fn(store, plan, path, dir);
    } finally {
      await store.close();
    }
  });
}

Deno.test("method tune: every tuned row gets exactly the budget, halving by eta, and only the choice is reported", async () => {
  await withExperiment(async (dir, load) => {
    const plan = await load();
    const [tuned] = planTuning(plan);
    assert.equal(planTuning(plan).length, 1, "Popularity has no tune space");
    assert.deepEqual(tuned.rungs, [1, 2, 4]);
    assert.equal(new Set(tuned.configs.map((c) => JSON.stringify(c.point))).size, 4);
    // Configuration 0 is the row's own defaults: its top rung has the key of the untuned run.
    const untuned = planTrials({
      ...plan,
      search: { method: "grid", axes: [], budget: 1, seed: 0 },
    })
      .find((t) => t.model === "clcrec" && t.seed === plan.seeds[0])!;
    assert.equal(tuned.configs[0].finals[0].key, untuned.key);
    assert.ok(tuned.configs.slice(1).every((c) => c.finals[0].key !== untuned.key));
    // The top rung on the first seed is the chosen configuration's final run on that seed.
    for (const c of tuned.configs) assert.equal(c.rungTrials[2].key, c.finals[0].key);
    const store = await ResultStore.open(join(dir, "store.sqlite"));
    try {
      register(store, plan);
      await runTrials(store, { experiment: plan.name, jobs: 1, codeVersion: "t", silent: true });
      const infos = await store.trials(plan.name);
      const clc = infos.filter((t) => t.spec.model === "clcrec");
      const perRung = [1, 2, 4].map((e) => clc.filter((t) => t.spec.settings.epochs === e).length);
      assert.deepEqual(perRung, [4, 2, 1 + 1], "4 → 2 → 1 configurations, plus seed 2's final run");
      assert.ok(infos.every((t) => t.status === "done"));
      const reported = infos.filter((t) => t.role === "result");
      assert.deepEqual(reported.map((t) => `${t.spec.model}:${t.spec.seed}`).sort(), [
        "clcrec:1",
        "clcrec:2",
        "popularity:1",
        "popularity:2",
      ]);
      // The rung-2 trials continued their rung-1 state: their curves carry the earlier epochs,
      // and equal a straight two-epoch run of the same configuration.
      const r2 = clc.find((t) => t.spec.settings.epochs === 2)!;
      const straight = await executeTrial(r2.spec, { codeVersion: "t", silent: true });
      assert.deepEqual(
        (await store.curve(r2.spec.key)).map((p) => p.metrics),
        straight.report.curve.map((p) => p.metrics),
      );
      // No training state is left behind once no rung can continue it.
      const left = await Array.fromAsync(Deno.readDir(join(dir, "artifacts"))).catch(() => []);
      for (const d of left) {
        assert.equal(
          await Deno.stat(join(dir, "artifacts", d.name, "train_state.safetensors")).then(
            () => 1,
            () => 0,
          ),
          0,
        );
      }
      const report = await storeReport(store, plan.name, ["table3"]);
      const caption = report.tables[0].table.caption;
      assert.match(
        caption,
        /Tuned: each of 1 rows had 4 configurations \(its defaults and 3 draws/,
      );
      assert.match(caption, /rungs of 1\/2\/4 epochs/);
      assert.match(
        caption,
        /CPU time per row \(tuning and final runs\): Popularity \(synthetic\) \d+s, CLCRec \(synthetic\)/,
      );
      assert.equal(report.tables[0].table.rows.filter((r) => r.kind === "row").length, 3); // 2 + Impr.
      // The tuning layout: every configuration the row tried, what each scored at each rung it
      // ran (the stored validation metric), and the choice, whose finals are the reported runs.
      const ladder = (await storeReport(store, plan.name, ["tuning"])).tables;
      assert.deepEqual(ladder.map((t) => t.layout), ["tuning"], "one tuned row: CLCRec");
      const body = ladder[0].table.rows.filter((r) => r.kind === "row");
      assert.deepEqual(body.map((r) => r.label), [
        "0 (defaults)",
        "1 (draw)",
        "2 (draw)",
        "3 (draw)",
      ]);
      const valid = await store.metrics(clc.map((t) => t.spec.key), "valid");
      const ran = [0, 1, 2].map((r) => body.filter((row) => row.cells[r].value !== undefined));
      assert.deepEqual(ran.map((rs) => rs.length), [4, 2, 1]);
      // Rung 2 took the best two of rung 1, by the values the table shows.
      const at = (row: (typeof body)[number], r: number) => row.cells[r].value?.mean ?? -Infinity;
      const best2 = [...body].sort((a, b) => at(b, 0) - at(a, 0)).slice(0, 2);
      assert.deepEqual(new Set(ran[1]), new Set(best2));
      const [chosen] = ran[2];
      assert.equal(chosen.cells[2].selected, true);
      assert.equal(body.flatMap((r) => r.cells).filter((c) => c.selected).length, 1);
      const c = Number(chosen.label.split(" ")[0]);
      const finals = tuned.configs[c].finals.map((f) => f.key);
      assert.deepEqual(
        reported.filter((t) => t.spec.model === "clcrec").map((t) => t.spec.key).sort(),
        [...finals].sort(),
      );
      assert.equal(
        chosen.cells[2].value!.mean,
        valid.get(tuned.configs[c].rungTrials[2].key)!["NDCG@10"],
      );
      assert.match(ladder[0].table.caption, new RegExp(`Chosen \\(◀\\): configuration ${c} `));
      // The budget layout replays the same rule: at the run's own budget and η it chooses the
      // reported configuration. At half (configurations 0–1, η 2: one goes on per rung) the better
      // of the two at the first rung goes on alone; only the choice reached the top rung, so that
      // replay is decided exactly when it is the choice. A choice among configurations 2–3 is
      // one half the budget never draws.
      const [budget] = (await storeReport(store, plan.name, ["budget"])).tables.map((t) => t.table);
      assert.deepEqual(budget.columns.map((col) => col.name), [
        "2 configurations, η 2: 5 epochs",
        "4 configurations, η 2: 8 epochs (the run)",
        "choice at half the budget",
        "top-rung lead vs seed sd",
      ]);
      const cells = (budget.rows[0] as (typeof body)[number]).cells.map((x) => x.text);
      const top = (v: number) => `#${v} ${body[v].cells[2].value!.mean.toFixed(4)}`;
      assert.equal(cells[1], top(c));
      const first = at(body[0], 0) >= at(body[1], 0) ? 0 : 1;
      assert.equal(cells[0], first === c ? top(c) : "needs ≥ 1 trial");
      const verdict = c >= 2 ? "changed: a later configuration" : first === c ? "same" : "unknown";
      assert.equal(cells[2], verdict);
      assert.equal(cells[3], "–", "one configuration at the top rung: no runner-up to lead");
      assert.match(
        caption,
        new RegExp(
          `With half the configurations \\(each row's first 2, replayed from the stored trials ` +
            `at the same rungs: report --layout budget\\) the same choice for ` +
            `${verdict === "same" ? 1 : 0} of 1 row` +
            (c >= 2
              ? "; CLCRec chose a configuration half the budget never draws \\(still finding " +
                "better ones: a larger budget may move them\\)"
              : "") +
            (verdict === "unknown" ? "; undecided for CLCRec \\(rung trials not finished\\)" : "") +
            "\\. ",
        ),
      );
    } finally {
      await store.close();
    }
  });
});

Deno.test("report --layout tuning: two configurations at the top rung, a preset, and the mark on the one whose seeds are reported", async () => {
  const yaml = YAML.replace(
    "budget: 4, eta: 2, seed: 0",
    "budget: 4, eta: 3, seed: 0, rungs: [2, 4]",
  );
  await withRunStore(yaml, async (store, plan) => {
    const [tuned] = planTuning(plan);
    const infos = await store.trials(plan.name);
    const [table] = (await storeReport(store, plan.name, ["tuning"])).tables.map((t) => t.table);
    const body = table.rows.filter((r) => r.kind === "row");
    assert.deepEqual(body.map((r) => r.label), [
      "0 (defaults)",
      "1 (preset warm)",
      "2 (draw)",
      "3 (draw)",
    ]);
    assert.match(body[1].cells.at(-1)!.text, /tau=0\.5/);
    // Rung 1: all four; rung 2 (the top): ⌈4/3⌉ = 2, the others "–".
    assert.deepEqual(
      body.map((r) => r.cells[1].text === "–"),
      body.map((r) => r.cells[1].value === undefined),
    );
    assert.equal(body.filter((r) => r.cells[1].value !== undefined).length, 2);
    // The mark is on the configuration whose later seed's final the experiment reports.
    const reported = infos.find((t) =>
      t.role === "result" && t.spec.model === "clcrec" && t.spec.seed === 2
    )!;
    const chosen = tuned.configs.findIndex((c) => c.finals[1].key === reported.spec.key);
    const marked = body.filter((r) => r.cells.some((c) => c.selected));
    assert.deepEqual(marked.map((r) => r.label.split(" ")[0]), [String(chosen)]);
    // Each shown value is the trial's stored validation metric, its epochs from its curve.
    const valid = await store.metrics(
      tuned.configs.flatMap((c) => c.rungTrials.map((t) => t.key)),
      "valid",
    );
    for (const [i, c] of tuned.configs.entries()) {
      for (const [r, t] of c.rungTrials.entries()) {
        const cell = body[i].cells[r];
        if (cell.value === undefined) continue;
        assert.equal(cell.value.mean, valid.get(t.key)!["NDCG@10"]);
        const info = infos.find((x) => x.spec.key === t.key)!, curve = await store.curve(t.key);
        const kept = curve.find((p) => p.step === info.bestStep)!.epoch;
        assert.ok(cell.text.endsWith(`(${kept}/${curve.at(-1)!.epoch})`), cell.text);
      }
    }
  }, (base) => ({
    ...base,
    models: base.models.map((m) =>
      m.name === "clcrec" ? { ...m, presets: [{ name: "warm", point: { tau: [0.5] } }] } : m
    ),
  }));
});

Deno.test("method tune: with topSeeds 2 the top rung's configurations run seed 2 too, the best mean is chosen, the others never reported", async () => {
  const yaml = YAML.replace(
    "budget: 4, eta: 2, seed: 0",
    // Draw seed 8: the two configurations at the top rung rank one way on seed 1 and the other
    // by their mean over seeds 1 and 2.
    "budget: 4, eta: 3, seed: 8, rungs: [2, 4], topSeeds: 2",
  );
  await withRunStore(yaml, async (store, plan) => {
    const [tuned] = planTuning(plan);
    const infos = await store.trials(plan.name);
    const status = (key: string) => infos.find((t) => t.spec.key === key);
    // ⌈4/3⌉ = 2 configurations at the top rung, each also run on seed 2 (its final there).
    const top = tuned.configs.filter((c) => status(c.rungTrials[1].key)?.status === "done");
    assert.equal(top.length, 2);
    const valid = await store.metrics(infos.map((t) => t.spec.key), "valid");
    const mean = (c: (typeof top)[number]) =>
      (valid.get(c.rungTrials[1].key)!["NDCG@10"] + valid.get(c.finals[1].key)!["NDCG@10"]) / 2;
    const best = [...top].sort((a, b) => mean(b) - mean(a))[0];
    const other = top.find((c) => c !== best)!;
    const seed1 = (c: (typeof top)[number]) => valid.get(c.rungTrials[1].key)!["NDCG@10"];
    assert.ok(seed1(other) > seed1(best), "seed 1 alone would have chosen the other");
    // The choice's runs over both seeds are the reported ones; the other's seed-2 run is a
    // tuning trial, done and never reported; nothing ran twice.
    const reported = infos.filter((t) => t.role === "result" && t.spec.model === "clcrec");
    assert.deepEqual(
      reported.map((t) => t.spec.key).sort(),
      best.finals.map((f) => f.key).sort(),
    );
    assert.deepEqual(
      [status(other.finals[1].key)?.role, status(other.finals[1].key)?.status],
      ["tune", "done"],
    );
    assert.equal(infos.filter((t) => t.spec.model === "clcrec").length, 4 + 2 + 2);
    // Registered again (a rerun), the links come back from the stored states as they were,
    // and nothing trains again.
    await register(store, plan);
    await resumeTuning(store, plan.name);
    await runTrials(store, { experiment: plan.name, jobs: 1, codeVersion: "t", silent: true });
    const again = await store.trials(plan.name);
    const roles = (ts: typeof infos) => ts.map((t) => `${t.spec.key} ${t.role} ${t.status}`).sort();
    assert.deepEqual(roles(again), roles(infos));
    assert.deepEqual(
      again.map((t) => [t.spec.key, t.trainSeconds]).sort(),
      infos.map((t) => [t.spec.key, t.trainSeconds]).sort(),
    );
    // The tuning layout shows each top-rung configuration's mean over the two seeds and marks
    // the choice there; the caption says how it was chosen.
    const [table] = (await storeReport(store, plan.name, ["tuning"])).tables.map((t) => t.table);
    assert.equal(table.columns[2].name, "top rung, mean of 2 seeds");
    const body = table.rows.filter((r) => r.kind === "row");
    const i = tuned.configs.indexOf(best), j = tuned.configs.indexOf(other);
    assert.equal(body[i].cells[2].value?.mean, mean(best));
    assert.equal(body[j].cells[2].value?.mean, mean(other));
    assert.deepEqual(
      body.flatMap((r, k) => r.cells.map((c, col) => c.selected ? [k, col] : [])).filter((x) =>
        x.length > 0
      ),
      [[i, 2]],
    );
    assert.match(
      table.caption,
      /the highest mean validation NDCG@10 over 2 seeds at the top rung/,
    );
    // The budget layout's lead: the mean the choice was made by, against sd / √2 of its seeds.
    const [budget] = (await storeReport(store, plan.name, ["budget"])).tables.map((t) => t.table);
    const lead = (budget.rows[0] as (typeof body)[number]).cells.at(-1)!.text;
    const values = best.finals.map((f) => valid.get(f.key)!["NDCG@10"]);
    const noise = Math.abs(values[0] - values[1]) / Math.SQRT2 / Math.SQRT2;
    const gap = mean(best) - mean(other);
    assert.equal(
      lead,
      `+${gap.toFixed(4)} ${gap < noise ? "<" : "≥"} ${noise.toFixed(4)} (2 seeds, sd/√2)`,
    );
    const caption = (await storeReport(store, plan.name, ["table3"])).tables[0].table.caption;
    assert.match(
      caption,
      /on seed 1, every configuration finishing its top rung then also run on the 1 lowest other seeds, picked one by mean validation over 2 seeds/,
    );
  });
  // More seeds choosing than the experiment has is refused, naming the field; so is the key
  // outside method tune.
  await withExperiment(async (_dir, load) => {
    const plan = await load();
    assert.throws(
      () => planTuning({ ...plan, search: { ...plan.search, topSeeds: 3 } }),
      (e: unknown) => e instanceof ConfigError && /search\.topSeeds/.test(String(e)),
    );
  });
  assert.throws(
    () => parseSearch({ method: "grid", topSeeds: 2 }, "e.yaml"),
    /only search.method: tune has it/,
  );
});

Deno.test("method tune: with a single rung (a budget below η) only the choice's runs are reported", async () => {
  // Budget 2 with η 3: one rung at the cap, where each configuration's trial on the tuning seed
  // is also its final run there (the same key).
  const yaml = YAML.replace("budget: 4, eta: 2, seed: 0", "budget: 2, eta: 3, seed: 0");
  await withRunStore(yaml, async (store, plan) => {
    const [tuned] = planTuning(plan);
    assert.equal(tuned.rungs.length, 1);
    const reportedKeys = async () =>
      (await store.trials(plan.name)).filter((t) =>
        t.role === "result" && t.spec.model === "clcrec"
      )
        .map((t) => t.spec.key).sort();
    const reported = await reportedKeys();
    assert.equal(reported.length, 2, "the choice's two seeds, not every configuration's seed 1");
    assert.ok(
      tuned.configs.some((c) => c.finals.map((f) => f.key).sort().join() === reported.join()),
    );
    // A rerun (registration again) rebuilds the same links.
    await register(store, plan);
    await resumeTuning(store, plan.name);
    assert.deepEqual(await reportedKeys(), reported);
  });
});

Deno.test("method tune: search.defaults false draws every configuration; a bad value names the field", async () => {
  await withExperiment(async (_dir, load) => {
    const plan = await load();
    const on = planTuning(plan)[0],
      off = planTuning({
        ...plan,
        search: { ...plan.search, defaults: false },
      })[0];
    assert.equal(off.configs.length, 4);
    // Without the defaults the draws start one earlier: the 3 drawn with them are among the 4.
    const drawn = new Set(off.configs.map((c) => c.finals[0].key));
    assert.ok(on.configs.slice(1).every((c) => drawn.has(c.finals[0].key)));
    assert.ok(!drawn.has(on.configs[0].finals[0].key));
    const offPlan = { ...plan, search: { ...plan.search, defaults: false } };
    assert.match(
      describePlan(offPlan, planTrials(offPlan), [off]),
      /tune \(4 configurations per row: all drawn from its model's tune: space, successive/,
    );
    assert.match(
      describePlan(plan, planTrials(plan), [on]),
      /tune \(4 configurations per row: its defaults and 3 draws from its model's tune: space,/,
    );
  });
  assert.throws(
    () => parseSearch({ method: "tune", budget: 2, defaults: "yes" }, "e.yaml"),
    (e: unknown) => e instanceof ConfigError && /search\.defaults/.test(String(e)),
  );
  assert.throws(
    () => parseSearch({ method: "grid", defaults: true }, "e.yaml"),
    /only search.method: tune has it/,
  );
});

Deno.test("method tune: a model's presets follow its defaults within the budget, the axes they leave out at the row's defaults", async () => {
  await withExperiment(async (_dir, load) => {
    const plan = await load();
    const clc = plan.models.find((m) => m.name === "clcrec")!;
    const plain = planTuning(plan)[0];
    const withPreset = {
      ...plan,
      models: plan.models.map((m) =>
        m === clc
          ? {
            ...m,
            presets: [
              { name: "warm", point: { tau: [0.5], regWeight: [0.01] } },
              // Equal to the defaults: not a configuration of its own.
              { name: "same", point: { tau: [clc.config.tau] } },
            ],
          }
          : m
      ),
    };
    const [row] = planTuning(withPreset);
    assert.equal(row.configs.length, 4, "presets count in the budget");
    const points = row.configs.map((c) => c.point);
    assert.deepEqual(points[0], plain.configs[0].point);
    assert.deepEqual(points[1], { ...points[0], tau: [0.5], regWeight: [0.01] });
    // The draws that remain are the first draws of the row without presets, in order.
    assert.deepEqual(points.slice(2), plain.configs.slice(1, 3).map((c) => c.point));
    // search.presets false plans the row as before.
    const off = planTuning({ ...withPreset, search: { ...plan.search, presets: false } })[0];
    assert.deepEqual(off.configs.map((c) => c.point), plain.configs.map((c) => c.point));
    // Without the defaults the presets lead.
    const noDefaults =
      planTuning({ ...withPreset, search: { ...plan.search, defaults: false } })[0];
    assert.deepEqual(noDefaults.configs[0].point, points[1]);
  });
});

Deno.test("method tune: the caption names the presets a row had as configurations of their own", async () => {
  await withExperiment(async (dir, load) => {
    const base = await load();
    const clc = base.models.find((m) => m.name === "clcrec")!;
    const withPresets = (presets: TunePreset[]) => ({
      ...base,
      models: base.models.map((m) => m === clc ? { ...m, presets } : m),
    });
    const note = async (plan: typeof base, name: string) => {
      const store = await ResultStore.open(join(dir, `${name}.sqlite`));
      try {
        const named = { ...plan, name };
        await register(store, named);
        return await tuningNote(store, name, await store.trials(name), []);
      } finally {
        await store.close();
      }
    };
    const warm = { name: "warm", point: { tau: [0.5] } };
    const same = { name: "same", point: { tau: [clc.config.tau] } };
    const text = await note(withPresets([warm, same]), "with");
    assert.match(
      text,
      /had 4 configurations \(its defaults, its model's presets if it has any, and draws/,
    );
    // "same" equals the defaults: not a configuration of its own, so not named.
    assert.match(
      text,
      /Presets \(configurations named in the model's file from earlier runs, each one of its row's 4\): CLCRec warm; the other rows had none\./,
    );
    const plain = await note(withPresets([same]), "plain");
    assert.match(plain, /its defaults and 3 draws/);
    assert.doesNotMatch(plain, /Presets/);
  });
});

Deno.test("method tune: a plan stored before search.defaults existed had its defaults as configuration 0", async () => {
  await withExperiment(async (dir, load) => {
    const plan = await load();
    const store = await ResultStore.open(join(dir, "older.sqlite"));
    try {
      // The stored plan lacks the key (JSON drops undefined); the trials are the plan's.
      const stored = { ...plan, search: { ...plan.search, defaults: undefined } };
      assert.ok(!("defaults" in JSON.parse(JSON.stringify(stored)).search));
      await store.register(
        plan.name,
        plan.file,
        "",
        stored,
        planTrials(plan),
        false,
        tuneEntries(planTuning(plan)),
      );
      const text = await tuningNote(store, plan.name, await store.trials(plan.name), []);
      assert.match(text, /had 4 configurations \(its defaults and 3 draws/);
    } finally {
      await store.close();
    }
  });
});

Deno.test("method tune: a preset that sets an axis the variant pins is left out; the budget must hold the defaults and presets", async () => {
  await withExperiment(async (dir) => {
    const file = join(dir, "exp.yaml");
    const load = (overrides: string[] = []) =>
      loadExperiment(file, { configsDir: CONFIGS, dataRoot: dir, overrides });
    const plan = await load();
    const [full, paper] = planTuning(plan);
    // The shipped preset sets the KL weight, which the paper variant pins to 1.
    assert.deepEqual(full.presets, ["content-ranking"]);
    assert.deepEqual(full.configs[1].point.klWeight, [0.001]);
    assert.deepEqual(paper.presets, []);
    assert.equal(paper.configs.length, 4);
    assert.match(
      describePlan(plan, [], [full, paper]),
      /M2VAE: 4 configurations \(presets: content-ranking\)/,
    );
    assert.match(describePlan(plan, [], [full, paper]), /M2VAE paper: 4 configurations tuned/);
    assert.match(
      describePlan(plan, [], [full, paper]),
      /its defaults, its model's presets if it has any, and draws/,
    );
    const noDefaults = await load(["search.defaults=false"]);
    assert.match(
      describePlan(noDefaults, [], planTuning(noDefaults)),
      /per row: its model's presets if it has any, and draws/,
    );
    // A budget of 1 has no room for the preset beside the defaults: one line naming the field.
    const small = await load(["search.budget=1"]);
    assert.throws(
      () => planTuning(small),
      (e: unknown) =>
        e instanceof ConfigError && e.path === "search.budget" &&
        /no room for row "M2VAE"'s presets \(content-ranking\).*search\.presets: false/.test(
          e.message,
        ),
    );
    assert.equal(planTuning(await load(["search.budget=1", "search.presets=false"])).length, 2);
    // A model file with presets but no tune: space stops the load at its presets field.
    const configs = join(dir, "configs");
    await Deno.mkdir(join(configs, "models"), { recursive: true });
    await Deno.writeTextFile(
      join(configs, "models", "popularity.yaml"),
      "presets: { a: { x: 1 } }\n",
    );
    await Deno.writeTextFile(
      file,
      "name: p\ndatasets: { s: { kind: synthetic } }\nmodels: { popularity: {} }\n",
    );
    await assert.rejects(
      () => loadExperiment(file, { configsDir: configs, dataRoot: dir }),
      (e: unknown) =>
        e instanceof ConfigError && e.path === "presets" && /popularity\.yaml/.test(e.message),
    );
  }, PRESETS_YAML);
});

Deno.test("method tune: a sweep killed mid-rung resumes without rerunning a finished rung", async () => {
  await withTunedStore(async (store, plan, path, dir) => {
    // Run the first rung and one trial of the second, then "crash" while another runs.
    const ctx = { codeVersion: "t", silent: true };
    for (let i = 0; i < 6; i++) {
      const t = (await store.claim(plan.name))!;
      const c = await store.continuation(t.key);
      await store.complete(t.key, await executeTrial(t, ctx, {}));
      if (c.save) await Deno.mkdir(join(dir, "artifacts", t.key), { recursive: true });
    }
    await advanceTuning(store, plan.name);
    const crashed = (await store.claim(plan.name))!;
    const db = new DatabaseSync(path);
    db.prepare("UPDATE trials SET pid = 999999999 WHERE key = ?").run(crashed.key);
    db.close();
    const finished = new Map(
      (await store.trials(plan.name)).filter((t) => t.status === "done")
        .map((t) => [t.spec.key, t.trainSeconds]),
    );
    // The rerun: same plan, same store.
    register(store, plan);
    await runTrials(store, { experiment: plan.name, jobs: 1, codeVersion: "t", silent: true });
    const after = await store.trials(plan.name);
    assert.ok(after.every((t) => t.status === "done"), "the crashed trial ran again");
    for (const [k, secs] of finished) {
      assert.equal(after.find((t) => t.spec.key === k)?.trainSeconds, secs, `${k} was rerun`);
    }
    assert.equal(after.filter((t) => t.role === "result" && t.spec.model === "clcrec").length, 2);
  });
});

Deno.test("method tune: a rung that failed because its run was killed is retried before the row chooses", async () => {
  await withTunedStore(async (store, plan) => {
    const ctx = { codeVersion: "t", silent: true };
    for (let i = 0; i < 6; i++) {
      const t = (await store.claim(plan.name))!;
      await store.complete(t.key, await executeTrial(t, ctx, {}));
    }
    await advanceTuning(store, plan.name);
    // The second rung: one configuration finishes, the other's worker loses its coordinator.
    const [a, b] = [(await store.claim(plan.name))!, (await store.claim(plan.name))!];
    await store.complete(a.key, await executeTrial(a, ctx, {}));
    await store.fail(b.key, "Broken pipe (os error 32)");
    // The rerun: the killed rung runs again, and nothing above it is released before it has.
    await register(store, plan);
    await resumeTuning(store, plan.name);
    const linked = await store.trials(plan.name);
    assert.equal(linked.find((t) => t.spec.key === b.key)?.status, "pending");
    assert.equal(await store.counts(plan.name).then((c) => c.pending), 1, "only the killed rung");
    await runTrials(store, { experiment: plan.name, jobs: 1, codeVersion: "t", silent: true });
    const all = await store.trials(plan.name);
    assert.ok(all.every((t) => t.status === "done"));
    const results = all.filter((t) => t.role === "result" && t.spec.model === "clcrec");
    assert.equal(results.length, 2, "one configuration's seeds, not two");
    assert.equal(new Set(results.map((t) => t.spec.pointLabel)).size, 1);
  });
});

Deno.test("method tune: a sweep killed while a final seed runs picks that trial up on the next run; a larger cap owes the top rung its lower rungs", async () => {
  await withTunedStore(async (store, plan, path) => {
    await runTrials(store, { experiment: plan.name, jobs: 1, codeVersion: "t", silent: true });
    // "Crash" with a final seed in flight: it is running under a process that is gone.
    const final = (await store.trials(plan.name)).find((t) =>
      t.role === "result" && t.spec.model === "clcrec" && t.spec.seed === plan.seeds[1]
    )!;
    const db = new DatabaseSync(path);
    db.prepare("UPDATE trials SET status = 'running', pid = 999999999 WHERE key = ?")
      .run(final.spec.key);
    db.close();
    // The rerun: `register` links the first rung only; the release links the final again.
    await register(store, plan);
    await resumeTuning(store, plan.name);
    const counts = await store.counts(plan.name);
    assert.equal(counts.pending, 1, "the dead process's final seed is pending at once");
    assert.equal(counts.running, 0);
    await runTrials(store, { experiment: plan.name, jobs: 1, codeVersion: "t", silent: true });
    const all = await store.trials(plan.name);
    assert.ok(all.every((t) => t.status === "done"));

    // The first seed's result is the top rung's trial; a larger cap continuing it owes every
    // rung below it too, not only the top rung's own seconds.
    const top = all.find((t) =>
      t.role === "result" && t.spec.model === "clcrec" && t.spec.seed === plan.seeds[0]
    )!;
    let owed = 0;
    for (
      let k: string | undefined = top.spec.key;
      k;
      k = (await store.continuation(k)).resumeFrom
    ) {
      owed += all.find((t) => t.spec.key === k)!.trainSeconds!;
    }
    assert.ok(owed > top.trainSeconds!, "the top rung continued a lower one");
    const larger = {
      ...top.spec,
      key: "f".repeat(16),
      settings: { ...top.spec.settings, epochs: 9 },
    };
    const found = await findCapContinuation(
      store.artifactsRoot(),
      (k) => store.artifactDir(k),
      larger,
    );
    assert.equal(found?.from.key, top.spec.key);
    assert.ok(Math.abs(found!.from.seconds.trainSeconds - owed) < 1e-9);
  });
});

Deno.test("method tune: no space in the experiment, per-epoch validation, no step cap, a big enough space", async () => {
  await withExperiment(async (dir) => {
    const file = join(dir, "bad.yaml");
    const check = async (yaml: string, path: string) => {
      await Deno.writeTextFile(file, yaml);
      await assert.rejects(
        async () => planTrials(await loadExperiment(file, { configsDir: CONFIGS, dataRoot: dir })),
        (e: unknown) => e instanceof ConfigError && e.message.includes(path),
      );
    };
    await check(YAML.replace("seed: 0 }", "seed: 0, space: { tau: [1, 2] } }"), "search.space");
    await check(
      YAML.replace("batchSize: 256", "batchSize: 256, evalEvery: 3"),
      "settings.evalEvery",
    );
    await check(YAML.replace("batchSize: 256", "batchSize: 256, maxSteps: 5"), "settings.maxSteps");
    await check(YAML.replace("eta: 2", "eta: 1"), "search.eta");
    await check(YAML.replace("eta: 2", "eta: 2, rungs: [1, 2]"), "search.rungs");
  });
});

Deno.test("method tune: a custom row (model: and label:) is tuned, run and reported under its label", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tune_test_" });
  try {
    const file = join(dir, "exp.yaml");
    await Deno.writeTextFile(
      file,
      `name: tune_rows
datasets:
  synthetic: { users: 60, items: 40, seed: 2 }
models:
  popularity: {}
  pop-mine: { model: popularity, label: "Pop (mine)", settings: { batchSize: 128 } }
  clc-small: { model: clcrec, label: "CLCRec (small)", dim: 8, hidden: 16, attrDim: 8, negatives: 4 }
search: { method: tune, budget: 2, eta: 2, seed: 0 }
seeds: 1
settings: { epochs: 2, patience: 0, batchSize: 256 }
`,
    );
    const plan = await loadExperiment(file, { configsDir: CONFIGS, dataRoot: dir });
    const tuned = planTuning(plan);
    assert.deepEqual(tuned.map((r) => r.label), ["CLCRec (small)"]);
    assert.ok(tuned[0].configs.every((c) => c.finals[0].label === "CLCRec (small)"));
    const store = await ResultStore.open(join(dir, "store.sqlite"));
    try {
      await register(store, plan);
      await runTrials(store, { experiment: plan.name, jobs: 1, codeVersion: "t", silent: true });
      assert.ok((await store.trials(plan.name)).every((t) => t.status === "done"));
      const table = (await storeReport(store, plan.name, ["table3"])).tables[0].table;
      const labels = table.rows.flatMap((r) => r.kind === "row" && !r.summary ? [r.label] : []);
      for (const l of ["Popularity", "Pop (mine)", "CLCRec (small)"]) {
        assert.ok(labels.includes(l), `${l} not in ${labels}`);
      }
      assert.match(table.caption, /CLCRec \(small\) \(synthetic\) \d+s/);
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * The tiny tuned row at half the cap, registered beside it: its top rung (2 epochs) is the
 * 4-epoch sweep's middle rung, the same trial keys.
 */
async function registerHalfCap(store: ResultStore, dir: string) {
  const half = join(dir, "half.yaml");
  await Deno.writeTextFile(
    half,
    YAML.replace("name: tune_tiny", "name: tune_half").replace("epochs: 4", "epochs: 2"),
  );
  const halfPlan = await loadExperiment(half, { configsDir: CONFIGS, dataRoot: dir });
  await register(store, halfPlan);
  return halfPlan;
}

Deno.test("method tune: a rung trial that failed in another experiment is retried before this one's row moves past it", async () => {
  await withTunedStore(async (store, plan, _path, dir) => {
    const halfPlan = await registerHalfCap(store, dir);
    const ctx = { codeVersion: "t", silent: true };
    // The half-cap sweep runs first, and one of its 2-epoch top rungs fails (a crash since
    // fixed, say): that trial is the 4-epoch sweep's second rung of the same configuration.
    let failed: string | undefined;
    for (;;) {
      const t = await store.claim(halfPlan.name);
      if (!t) {
        if (await advanceTuning(store, halfPlan.name) > 0) continue;
        break;
      }
      if (failed === undefined && t.model === "clcrec" && t.settings.epochs === 2 && t.seed === 1) {
        failed = t.key;
        await store.fail(t.key, "out of memory");
      } else await store.complete(t.key, await executeTrial(t, ctx, {}));
    }
    assert.ok(failed, "the half-cap sweep ran a 2-epoch rung");
    // The 4-epoch sweep finds its first rung done (shared) and its second rung decided by the
    // other sweep's results: the failed trial is not ranked as lost but run again first.
    await advanceTuning(store, plan.name);
    const linked = await store.trials(plan.name);
    assert.equal(linked.find((t) => t.spec.key === failed)?.status, "pending");
    assert.ok(
      !linked.some((t) => t.spec.model === "clcrec" && t.spec.settings.epochs === 4),
      "nothing above the second rung is released before its retried trial has run",
    );
    await runTrials(store, { experiment: plan.name, jobs: 1, codeVersion: "t", silent: true });
    const results = (await store.trials(plan.name)).filter((t) =>
      t.role === "result" && t.spec.model === "clcrec"
    );
    assert.equal(new Set(results.map((t) => t.spec.pointLabel)).size, 1, "one configuration");
  });
});

Deno.test("method tune: --fresh continues only its own lower rungs, not another sweep's saved state", async () => {
  await withTunedStore(async (store, plan, _path, dir) => {
    const ctx = { codeVersion: "t", silent: true };
    await runTrials(store, { experiment: plan.name, jobs: 1, ...ctx });
    const keys = (await store.trials(plan.name)).map((t) => t.spec.key);
    const before = await store.tuneStates(keys);
    // Another sweep of the row, rungs of 3 and 4 epochs: its 4-epoch rung is this sweep's top
    // rung, so that trial may continue either sweep's rung below. Its 3-epoch rung ran and
    // saved its states, which stand for states of older code here (every parameter zeroed).
    const other = join(dir, "other.yaml");
    await Deno.writeTextFile(
      other,
      YAML.replace("name: tune_tiny", "name: tune_other").replace(
        "seed: 0 }",
        "seed: 0, rungs: [3, 4] }",
      ),
    );
    const otherPlan = await loadExperiment(other, { configsDir: CONFIGS, dataRoot: dir });
    await register(store, otherPlan);
    let saved = 0;
    for (let t = await store.claim(otherPlan.name); t; t = await store.claim(otherPlan.name)) {
      const save = async (st: TrainState) => {
        for (const a of [...st.params.values(), ...st.bestParams.values()]) a.fill(0);
        await writeTrainState(store.statePath(t!.key), st);
        saved++;
      };
      await store.complete(
        t.key,
        await executeTrial(t, ctx, t.settings.epochs === 3 ? { save } : {}),
      );
    }
    assert.equal(saved, 4, "the other sweep's first rung saved a state per configuration");
    // A fresh rerun of this sweep recomputes from its own rungs: the same numbers as before.
    await store.register(
      plan.name,
      plan.file,
      "",
      plan,
      planTrials(plan),
      true,
      tuneEntries(planTuning(plan)),
    );
    await runTrials(store, { experiment: plan.name, jobs: 1, fromScratch: true, ...ctx });
    assert.deepEqual(await store.tuneStates(keys), before);
  });
});

Deno.test("method tune: a trial that is a lower rung of one experiment and the top rung of another keeps its checkpoint and end state too", async () => {
  await withTunedStore(async (store, plan, _path, dir) => {
    const halfPlan = await registerHalfCap(store, dir);
    const tops = new Set(
      planTuning(halfPlan).flatMap((r) => r.configs.map((c) => c.rungTrials.at(-1)!.key)),
    );
    await runTrials(store, { experiment: plan.name, jobs: 1, codeVersion: "t", silent: true });
    const shared = (await store.trials(plan.name)).filter((t) =>
      t.role === "tune" && tops.has(t.spec.key) && t.status === "done"
    );
    assert.ok(shared.length > 0, "the 4-epoch sweep ran a 2-epoch rung");
    for (const t of shared) {
      const c = await store.continuation(t.spec.key);
      assert.deepEqual([c.save, c.keep], [true, true]);
      // Its training state served the next rung (then removed); the half-cap experiment reads
      // its kept checkpoint, and a larger cap its end state.
      await Deno.stat(store.checkpointPath(t.spec.key));
      const larger = {
        ...t.spec,
        key: "f".repeat(16),
        settings: { ...t.spec.settings, epochs: 3 },
      };
      const found = await findCapContinuation(
        store.artifactsRoot(),
        (k) => store.artifactDir(k),
        larger,
      );
      assert.equal(found?.from.key, t.spec.key, "its end state continues a larger cap");
    }
  });
});

Deno.test("method tune: a rung's saved state that another tuned experiment still needs is kept until that one continues it", async () => {
  await withTunedStore(async (store, plan, _path, dir) => {
    const halfPlan = await registerHalfCap(store, dir);
    // The half-cap sweep first: its top rung is done and chosen, so for it alone those states
    // could go; the 4-epoch sweep's next rung has not run, so they stay.
    await runTrials(store, { experiment: halfPlan.name, jobs: 1, codeVersion: "t", silent: true });
    const tops = planTuning(halfPlan).flatMap((r) => r.configs.map((c) => c.rungTrials.at(-1)!));
    const ranTops = (await store.trials(halfPlan.name)).filter((t) =>
      t.status === "done" && tops.some((s) => s.key === t.spec.key)
    );
    assert.ok(ranTops.length > 0);
    for (const t of ranTops) {
      assert.deepEqual((await store.continuation(t.spec.key)).waiting, [plan.name]);
      await Deno.stat(store.statePath(t.spec.key));
    }
    // The 4-epoch sweep continues them and then removes what nobody needs any more.
    await runTrials(store, { experiment: plan.name, jobs: 1, codeVersion: "t", silent: true });
    assert.ok((await store.trials(plan.name)).every((t) => t.status === "done"));
    // Nothing is left behind: neither those states nor the first rung's, whose eliminated
    // configurations both sweeps share (each once waited on the other's undecided rung).
    const rungKeys = [plan, halfPlan].flatMap((p) =>
      planTuning(p).flatMap((r) => r.configs.flatMap((c) => c.rungTrials.map((t) => t.key)))
    );
    for (const k of new Set(rungKeys)) {
      const left = await Deno.stat(store.statePath(k)).then(() => true, () => false);
      assert.equal(left, false, `${k}'s state is removed once no rung can continue it`);
    }
  });
});

Deno.test("method tune: a merged report that takes a tuned row from another experiment leaves its tuning out of the caption", async () => {
  await withTunedStore(async (store, plan, _path, dir) => {
    await runTrials(store, { experiment: plan.name, jobs: 1, codeVersion: "t", silent: true });
    // The tuned row rerun alone, untuned, under its own name and seeds.
    const file = join(dir, "rerun.yaml");
    await Deno.writeTextFile(
      file,
      YAML.replace("name: tune_tiny", "name: clc_rerun")
        .replace(/search: .*\n/, "")
        .replace("  popularity: {}\n", "")
        .replace("seeds: 2", "seeds: [5]"),
    );
    const rerun = await loadExperiment(file, { configsDir: CONFIGS, dataRoot: dir });
    await store.register(rerun.name, rerun.file, "", rerun, planTrials(rerun), false);
    await runTrials(store, { experiment: rerun.name, jobs: 1, codeVersion: "t", silent: true });
    const caption = async (prefer: string) =>
      (await storeReport(store, [plan.name, rerun.name], ["table3"], { prefer: [prefer] }))
        .tables[0].table.caption;
    const theirs = await caption(rerun.name);
    assert.match(theirs, /CLCRec on synthetic from clc_rerun \(not tune_tiny\)/);
    // tune_tiny's only tuned row is left out: no tuning protocol, no CPU of its sweep.
    assert.doesNotMatch(theirs, /Tuned:/);
    assert.match(theirs, /Seeds: 1, 2, 5 /, "Popularity's seeds and the rerun's seed 5");
    const ours = await caption(plan.name);
    assert.match(ours, /CLCRec on synthetic from tune_tiny \(not clc_rerun\)/);
    assert.match(ours, /Tuned: each of 1 rows .*CPU time per row .*CLCRec \(synthetic\) \d/);
    assert.match(ours, /Seeds: 1, 2 /, "the rerun's seed 5 left out");
  });
});
