import assert from "node:assert/strict";
import { join } from "node:path";
import { readNpy } from "../data/npy.ts";
import { gridTables } from "../report/grid_table.ts";
import { LAYOUTS, storeReport } from "../report/from_store.ts";
import { ResultStore } from "../store/mod.ts";
import { tf } from "../tf/mod.ts";
import { tinyStore } from "./_fixture.ts";
import { chooseItems, embedItems, viewMap, writeEmbedding } from "./embed.ts";
import { explainable, explainPairs } from "./explain.ts";
import { experimentFigures } from "./figures.ts";
import { experimentHtml } from "./html_report.ts";
import { map2d, mapMethod, neighbourAgreement, parseMapMethod, tsne2d, umap2d } from "./map2d.ts";
import { probeSpread, probeTrial } from "./probe.ts";
import { rankRow } from "./compare.ts";
import { backfillQueries } from "./backfill.ts";
import { DatabaseSync } from "node:sqlite";
import { readQueryMetrics } from "../store/mod.ts";
import {
  experimentSelection,
  findRow,
  findTrial,
  hasTestQueries,
  loadTrial,
  withLoadedTrial,
} from "./trials.ts";
import { renderSvg, renumberSvgIds, writeFigures } from "./vega.ts";

const { dir, storePath } = await tinyStore();

async function withStore<T>(fn: (s: ResultStore) => Promise<T>): Promise<T> {
  const s = await ResultStore.open(storePath, { mustExist: true });
  return fn(s).finally(() => s.close());
}

/** The lowest-seed trial of the selected configuration of a row. */
async function chosenTrial(s: ResultStore, label: string) {
  const { selections, trials } = await experimentSelection(s, "tiny");
  const sel = selections.find((x) => x.label === label)!;
  const key =
    sel.candidates[sel.chosen].keys.sort((a, b) =>
      trials.get(a)!.spec.seed - trials.get(b)!.spec.seed
    )[0];
  return trials.get(key)!;
}

Deno.test("findTrial: a key or an unambiguous prefix; unknown and malformed keys are clear errors", () =>
  withStore(async (s) => {
    const t = await chosenTrial(s, "M2VAE");
    assert.equal((await findTrial(s, t.spec.key)).spec.key, t.spec.key);
    assert.equal((await findTrial(s, t.spec.key.slice(0, 10).toUpperCase())).spec.key, t.spec.key);
    await assert.rejects(() => findTrial(s, "ffffffffffffffff"), /no trial "ffffffffffffffff"/);
    await assert.rejects(() => findTrial(s, "xyz"), /expected a trial key/);
    return Promise.resolve();
  }));

Deno.test("findRow: a label gives its chosen configuration's seeds, keys give those trials", () =>
  withStore(async (s) => {
    const { selections } = await experimentSelection(s, "tiny");
    const sel = selections.find((x) => x.label === "M2VAE")!;
    const row = await findRow(s, "M2VAE");
    assert.deepEqual(
      row.map((t) => t.spec.key).sort(),
      [...sel.candidates[sel.chosen].keys].sort(),
    );
    assert.deepEqual(row.map((t) => t.spec.seed), [1, 2]);
    assert.deepEqual(
      await findRow(s, "M2VAE", { experiment: "tiny", dataset: row[0].spec.dataset }),
      row,
    );
    const keys = await findRow(s, row.map((t) => t.spec.key.slice(0, 8)).join(","));
    assert.deepEqual(keys.map((t) => t.spec.key), row.map((t) => t.spec.key));
    // A dataset no row is on names --dataset and the datasets there are, with a label or keys.
    await assert.rejects(
      () => findRow(s, "M2VAE", { dataset: "other" }),
      new RegExp(
        `^RangeError: --dataset: no row on "other" in .*\\(datasets: ${row[0].spec.dataset}\\)$`,
      ),
    );
    await assert.rejects(
      () => findRow(s, row[0].spec.key, { dataset: "other" }),
      new RegExp(
        `^RangeError: --dataset: trial ${row[0].spec.key} is on "${
          row[0].spec.dataset
        }", not "other"$`,
      ),
    );
    await assert.rejects(() => findRow(s, "M2VAEx"), /no row "M2VAEx" in .*\(rows: .*M2VAE/);
    await assert.rejects(() => findRow(s, "M2VAE", { experiment: "nope" }), /no experiment "nope"/);
  }));

Deno.test("rankRow: a row read from its stored test metrics per query equals the row ranked again", () =>
  withStore(async (s) => {
    const row = await findRow(s, "M2VAE");
    const stored = await rankRow(s, row, "test");
    // Every finished trial with a checkpoint stored its metrics per query beside it.
    for (const t of row) assert.ok(Deno.statSync(s.testQueriesPath(t.spec.key)).isFile);
    const dir = await Deno.makeTempDir();
    try {
      // Moved away, the files are not there to read: the row is ranked again.
      for (const t of row) await Deno.rename(s.testQueriesPath(t.spec.key), join(dir, t.spec.key));
      const ranked = await rankRow(s, row, "test");
      assert.deepEqual(ranked.queries, stored.queries);
      assert.deepEqual(ranked.metrics, stored.metrics);
      // Their means are the stored test metrics, to float32's precision.
      const test = await s.metrics(row.map((t) => t.spec.key), "test");
      row.forEach((t, i) => {
        for (const [m, v] of Object.entries(test.get(t.spec.key)!)) {
          const per = stored.metrics[i][m];
          assert.ok(Math.abs(per.reduce((a, b) => a + b, 0) / per.length - v) < 1e-6, m);
        }
      });
    } finally {
      for (const t of row) await Deno.rename(join(dir, t.spec.key), s.testQueriesPath(t.spec.key));
      await Deno.remove(dir, { recursive: true });
    }
  }));

Deno.test("backfillQueries: ranks again the trials without their metrics per query, keeps only what reproduces", async () => {
  const dir = await Deno.makeTempDir({ prefix: "backfill_" });
  try {
    // A copy of the tiny store and its artifacts, the per-query files taken away.
    const src = storePath.slice(0, -"store.sqlite".length);
    await Deno.copyFile(storePath, join(dir, "store.sqlite"));
    const copy = await ResultStore.open(join(dir, "store.sqlite"), { mustExist: true });
    try {
      const row = await findRow(copy, "M2VAE");
      for (const t of row) {
        await Deno.mkdir(copy.artifactDir(t.spec.key), { recursive: true });
        await Deno.copyFile(
          join(src, "artifacts", t.spec.key, "checkpoint.safetensors"),
          copy.checkpointPath(t.spec.key),
        );
      }
      const original = await readQueryMetrics(
        join(src, "artifacts", row[0].spec.key, "test_queries.safetensors"),
      );
      // Seed 2's stored test metrics no longer match what its checkpoint ranks.
      const db = new DatabaseSync(join(dir, "store.sqlite"));
      db.prepare("UPDATE metrics SET value = value + 0.01 WHERE trial = ? AND part = 'test'").run(
        row[1].spec.key,
      );
      db.close();
      const dry = await backfillQueries(copy, { dryRun: true });
      assert.equal(dry.ranked, 2); // only the two trials whose checkpoints were copied
      assert.equal(dry.written, 0);
      assert.equal(hasTestQueries(copy, row[0].spec.key), false);
      const s = await backfillQueries(copy);
      assert.equal(s.ranked, 2);
      assert.equal(s.written, 1);
      assert.deepEqual(s.notKept.map((m) => m.key), [row[1].spec.key]);
      assert.match(
        s.notKept[0].reason,
        /^ranks \S+@\d+ .* where the store holds .*does not reproduce/,
      );
      assert.deepEqual(await readQueryMetrics(copy.testQueriesPath(row[0].spec.key)), original);
      assert.equal(hasTestQueries(copy, row[1].spec.key), false);
      // A second pass finds the first trial's file and leaves it.
      assert.equal((await backfillQueries(copy, { dryRun: true })).present, 1);
      // A checkpoint that cannot be read stops only its own trial, named with the reason.
      await Deno.writeFile(copy.checkpointPath(row[1].spec.key), new Uint8Array([1, 2, 3]));
      const broken = await backfillQueries(copy);
      assert.deepEqual([broken.ranked, broken.written, broken.notKept.length], [1, 0, 1]);
      assert.equal(broken.notKept[0].key, row[1].spec.key);
    } finally {
      await copy.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("withLoadedTrial: the trial's restored model for fn, disposed and the store closed after, also when fn throws", async () => {
  const key = await withStore(async (s) => (await chosenTrial(s, "M2VAE")).spec.key);
  let disposed = 0, kept: ResultStore | undefined;
  const got = await withLoadedTrial(
    { store: storePath, trial: key.slice(0, 8) },
    async (t, store) => {
      const dispose = t.model.dispose.bind(t.model);
      t.model.dispose = () => (disposed++, dispose());
      kept = store;
      return `${t.info.spec.key} ${t.info.spec.label} ${(await store.trials("tiny")).length > 0}`;
    },
  );
  assert.equal(got, `${key} M2VAE true`);
  assert.equal(disposed, 1);
  await assert.rejects(async () => await kept!.trials("tiny")); // closed
  await assert.rejects(
    () =>
      withLoadedTrial({ store: storePath, trial: key }, (t, store) => {
        const dispose = t.model.dispose.bind(t.model);
        t.model.dispose = () => (disposed++, dispose());
        kept = store;
        throw new Error("boom");
      }),
    /boom/,
  );
  assert.equal(disposed, 2);
  await assert.rejects(async () => await kept!.trials("tiny"));
  await assert.rejects(
    () => withLoadedTrial({ store: storePath, trial: "ffffffffffffffff" }, () => 0),
    /no trial "ffffffffffffffff"/,
  );
  await assert.rejects(
    () => withLoadedTrial({ store: join(dir, "nosuch.sqlite"), trial: key }, () => 0),
  );
});

Deno.test("explain: the gates and α of a restored M2VAE, by the dataset's own ids; no gates is a clear error", () =>
  withStore(async (s) => {
    const before = tf.memory().numTensors;
    const t = await loadTrial(s, await chosenTrial(s, "M2VAE"));
    try {
      const user = t.dataset.userIds[t.split.trainUsers[3]];
      const items = [t.split.testItems[0], t.split.trainItems[0]].map((i) => t.dataset.itemIds[i]);
      const rows = explainPairs(t.model, t.dataset, t.split, user, items);
      assert.deepEqual(rows.map((r) => [r.user, r.item, r.part]), [
        [user, items[0], "test"],
        [user, items[1], "train"],
      ]);
      for (const r of rows) {
        assert.deepEqual(Object.keys(r.gates), ["attributes", "image"]);
        const sum = Object.values(r.gates).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(sum - 1) < 1e-5, `gates sum to ${sum}`);
        assert.ok(r.alpha > 0 && r.alpha < 1);
        assert.deepEqual(
          { gates: r.gates, commonWeight: r.alpha },
          explainable(t.model).explain(r.userIndex, r.itemIndex),
        );
      }
      // #N names the N-th user or item.
      const byIndex = explainPairs(t.model, t.dataset, t.split, `#${rows[0].userIndex}`, [
        `#${rows[0].itemIndex}`,
      ]);
      assert.deepEqual(byIndex[0], rows[0]);
      assert.throws(
        () => explainPairs(t.model, t.dataset, t.split, "nobody", items),
        /--user: no user "nobody"/,
      );
      assert.throws(
        () => explainPairs(t.model, t.dataset, t.split, user, ["nothing"]),
        /--item: no item "nothing"/,
      );
    } finally {
      t.model.dispose();
    }
    const r = await loadTrial(s, await chosenTrial(s, "Random"));
    try {
      assert.throws(
        () => explainPairs(r.model, r.dataset, r.split, "#0", ["#0"]),
        /model "random", which has no modality gates/,
      );
      assert.throws(
        () => embedItems(r.model, r.dataset, r.split, r.split.testItems),
        /no latent views/,
      );
    } finally {
      r.model.dispose();
    }
    assert.equal(tf.memory().numTensors, before);
  }));

Deno.test("probe: the main scorer reproduces the stored test metrics; M2VAE's probes and gaps, none for Random", () =>
  withStore(async (s) => {
    const before = tf.memory().numTensors;
    const info = await chosenTrial(s, "M2VAE");
    const t = await loadTrial(s, info);
    try {
      const rows = await probeTrial(t, "test");
      assert.deepEqual(rows.map((r) => r.scorer).sort(), ["main", "noLatent", "shared"]);
      assert.deepEqual(
        rows[0].metrics,
        (await s.metrics([info.spec.key], "test")).get(info.spec.key),
      );
      for (const r of rows.slice(1)) {
        for (const [k, v] of Object.entries(r.gap!)) {
          assert.ok(Math.abs(v - (rows[0].metrics[k] - r.metrics[k])) < 1e-12);
        }
      }
      // The hit spread takes the same ranking apart: its HR and NDCG are the stored ones.
      const spread = (await probeSpread(t, "test"))!;
      for (const [k, v] of Object.entries(rows[0].metrics)) assert.equal(spread.overall[k], v);
      assert.equal(spread.groups.reduce((n, g) => n + g.items, 0), t.split.testItems.length);
    } finally {
      t.model.dispose();
    }
    const r = await loadTrial(s, await chosenTrial(s, "Random"));
    try {
      assert.deepEqual((await probeTrial(r, "valid")).map((x) => x.scorer), ["main"]);
    } finally {
      r.model.dispose();
    }
    assert.equal(tf.memory().numTensors, before);
  }));

Deno.test("embed: latent means of every view for the cold items, as .npy and CSV, and a seeded map", () =>
  withStore(async (s) => {
    const t = await loadTrial(s, await chosenTrial(s, "M2VAE"));
    try {
      const items = chooseItems(t.split, "cold");
      assert.equal(items.length, t.split.validItems.length + t.split.testItems.length);
      const e = embedItems(t.model, t.dataset, t.split, items);
      assert.deepEqual(e.views, ["common", "attributes", "image"]);
      assert.equal(e.dim, 16);
      // Means do not depend on which other items are encoded with them.
      const one = embedItems(t.model, t.dataset, t.split, items.subarray(2, 3), ["image"]);
      assert.deepEqual(
        [...one.means.image].map((x) => x.toFixed(5)),
        [...e.means.image.subarray(2 * 16, 3 * 16)].map((x) => x.toFixed(5)),
      );
      assert.throws(
        () => embedItems(t.model, t.dataset, t.split, items, ["audio"]),
        /no view "audio" in this model \(views: common, attributes, image\)/,
      );
      const m = viewMap(e, { seed: 3 });
      assert.equal(m.points.length, 3 * items.length);
      assert.deepEqual(viewMap(e, { seed: 3 }).points, m.points);
      assert.notDeepEqual(viewMap(e, { seed: 4 }).points, m.points);
      assert.match(m.method, /^t-SNE \(exact, .*perplexity 27.67, 500 iterations, seed 3\)$/);
      const u = viewMap(e, { method: "umap", seed: 3 });
      assert.match(u.method, /^UMAP .*seed 3\)$/);
      assert.notDeepEqual(u.points, m.points);
      const out = join(dir, "embed");
      const files = await writeEmbedding(out, e, m);
      assert.deepEqual(files, [
        "common.npy",
        "attributes.npy",
        "image.npy",
        "items.csv",
        "means.csv",
        "map.csv",
      ]);
      const npy = await readNpy(join(out, "common.npy"));
      assert.deepEqual(npy.shape, [items.length, 16]);
      assert.deepEqual(npy.data, e.means.common);
      const csv = (await Deno.readTextFile(join(out, "items.csv"))).trim().split("\n");
      assert.equal(csv[0], "row,item,part");
      assert.equal(csv[1], `0,${t.dataset.itemIds[items[0]]},${e.parts[0]}`);
      const means = (await Deno.readTextFile(join(out, "means.csv"))).trim().split("\n");
      assert.equal(means.length, 1 + 3 * items.length);
      assert.match(means[0], /^item,part,view,z0,z1,.*,z15$/);
    } finally {
      t.model.dispose();
    }
  }));

Deno.test("neighbourAgreement: 1 for separate clusters, about chance for mixed ones", () => {
  const { n, data, labels } = twoClouds();
  assert.equal(neighbourAgreement(data, n, 2, labels, 5), 1);
  const mixed = labels.map((_, i) => (Math.floor(i / 2) % 2 ? "a" : "b"));
  assert.ok(neighbourAgreement(data, n, 2, mixed, 5) < 0.8);
});

Deno.test("map2d: t-SNE (the default) and UMAP are seeded, never draw from Math.random, and keep separate clouds apart", () => {
  const { n, data, labels } = twoClouds();
  const random = Math.random;
  Math.random = () => {
    throw new Error("Math.random called");
  };
  try {
    for (const method of ["tsne", "umap"] as const) {
      const a = map2d(data, n, 2, { method, seed: 1 });
      assert.deepEqual(map2d(data, n, 2, { method, seed: 1 }), a, method);
      assert.notDeepEqual(map2d(data, n, 2, { method, seed: 2 }), a, method);
      assert.ok(a.every(Number.isFinite), method);
      assert.equal(neighbourAgreement(a, n, 2, labels, 5), 1, method);
    }
    assert.deepEqual(map2d(data, n, 2, { seed: 1 }), tsne2d(data, n, 2, { seed: 1 }));
    assert.deepEqual(
      map2d(data, n, 2, { method: "umap", seed: 1 }),
      umap2d(data, n, 2, { seed: 1 }),
    );
  } finally {
    Math.random = random;
  }
  assert.deepEqual([...tsne2d(data, 2, 2, { seed: 1 })], [0, 0, 1, 0]);
  assert.equal(
    mapMethod({ seed: 4 }, 61),
    "t-SNE (exact, @keckelt/tsne 1.0.2, perplexity 20, 500 iterations, seed 4)",
  );
  assert.equal(parseMapMethod("umap"), "umap");
  assert.throws(
    () => parseMapMethod("pca"),
    /^RangeError: --map: expected tsne or umap, got "pca"$/,
  );
});

/** Two clouds of 20 points each, 100 apart on x, labelled "a" and "b" alternately by index. */
function twoClouds(): { n: number; data: Float32Array; labels: string[] } {
  const n = 40, data = new Float32Array(n * 2), labels: string[] = [];
  for (let i = 0; i < n; i++) {
    data[2 * i] = (i % 2) * 100 + i * 0.01;
    data[2 * i + 1] = Math.sin(i);
    labels.push(i % 2 ? "a" : "b");
  }
  return { n, data, labels };
}

Deno.test("figures: curves, loss terms, heatmaps, diagnostics, Fig. 4 and Fig. 5 from the tiny experiment", () =>
  withStore(async (s) => {
    const set = await experimentFigures(s, "tiny", { mapItems: 50 });
    assert.deepEqual(set.notes, []);
    assert.deepEqual(
      set.figures.map((f) => f.name).sort(),
      [
        "curves_synthetic",
        "diagnostics_synthetic",
        "fig4_synthetic",
        "fig5_synthetic",
        "grid_synthetic_m2vae",
        "grid_synthetic_m2vae-w-o-dcl",
        "grid_synthetic_random",
        "losses_synthetic_m2vae",
        "losses_synthetic_m2vae-w-o-dcl",
      ].filter((n) => n !== "grid_synthetic_random"),
    );
    const byName = new Map(set.figures.map((f) => [f.name, f]));
    // Curves: every row, every seed of its chosen configuration, at every validation.
    const curves =
      (byName.get("curves_synthetic")!.spec.data as { values: { series: string; seed: number }[] })
        .values;
    assert.deepEqual([...new Set(curves.map((p) => p.series))].sort(), [
      "M2VAE",
      "M2VAE w/o DCL",
      "Random",
    ]);
    assert.deepEqual([...new Set(curves.map((p) => p.seed))].sort(), [1, 2]);
    // Diagnostics: both gaps in one panel, first, gap.noLatent dashed beside gap.shared.
    const diag = byName.get("diagnostics_synthetic")!;
    const dv = (diag.spec.data as { values: { series: string; dash: string; row: string }[] })
      .values;
    assert.equal(dv[0].series, "gap.shared, gap.noLatent");
    assert.deepEqual(
      [...new Set(dv.filter((p) => p.series === dv[0].series).map((p) => `${p.row}:${p.dash}`))]
        .sort(),
      ["M2VAE w/o DCL:noLatent", "M2VAE w/o DCL:shared", "M2VAE:noLatent", "M2VAE:shared"],
    );
    assert.ok(!dv.some((p) => p.series.startsWith("gap.") && p.series !== dv[0].series));
    assert.match(diag.caption, /gap\.noLatent, dashed: the alternative scores with z = 0/);
    // Heatmap cells are the grid table's cells, the selected one marked.
    const { selections } = await experimentSelection(s, "tiny");
    const sel = selections.find((x) => x.label === "M2VAE")!;
    const table = gridTables(sel, "")[0];
    const cells = (byName.get("grid_synthetic_m2vae")!.spec.data as {
      values: { row: string; col: string; text: string; selected: boolean }[];
    }).values;
    assert.equal(cells.length, 4);
    for (const r of table.rows) {
      if (r.kind !== "row") continue;
      r.cells.forEach((c, k) => {
        const h = cells.find((x) => x.row === r.label && x.col === table.columns[k].name)!;
        assert.equal(h.text, c.text);
        assert.equal(h.selected, c.selected ?? false);
      });
    }
    assert.equal(cells.filter((c) => c.selected).length, 1);
    // Fig. 4: both rows, each its own map; Fig. 5: three users, two items each, dataset ids.
    assert.deepEqual(set.maps.map((m) => m.label), ["M2VAE", "M2VAE w/o DCL"]);
    assert.match(
      byName.get("fig4_synthetic")!.caption,
      /^Fig\. 4\. t-SNE \(exact, .*, seed 0\) of the latent means .* 10 nearest/,
    );
    assert.equal(set.gates.length, 6);
    assert.ok(set.gates.every((g) => /^u\d+$/.test(g.user) && /^i\d+$/.test(g.item)));
    assert.equal(new Set(set.gates.map((g) => g.user)).size, 3);
    // Reproducible: the same users, items and numbers again.
    const again = await experimentFigures(s, "tiny", { mapItems: 50 });
    assert.deepEqual(again.gates, set.gates);
    assert.deepEqual(again.maps, set.maps);
    // Each spec renders to a non-empty SVG, written with its spec beside it.
    const out = join(dir, "figures");
    const svgs = await writeFigures(out, set.figures);
    for (const f of set.figures) {
      const svg = await Deno.readTextFile(join(out, `${f.name}.svg`));
      assert.equal(svg, svgs.get(f.name));
      assert.match(svg, /^<svg[^>]*width="\d+"/);
      assert.ok(svg.length > 2000, `${f.name}.svg has ${svg.length} characters`);
      const spec = JSON.parse(await Deno.readTextFile(join(out, `${f.name}.vl.json`)));
      assert.match(spec.$schema, /vega-lite\/v6/);
      assert.equal(await renderSvg(spec), svg);
    }
  }));

Deno.test("figures: rows without checkpoints are named in the notes, the other figures are still made", async () => {
  const bare = await Deno.makeTempDir({ prefix: "analysis_bare_" });
  try {
    await Deno.copyFile(storePath, join(bare, "store.sqlite"));
    const s = await ResultStore.open(join(bare, "store.sqlite"), { mustExist: true });
    try {
      const set = await experimentFigures(s, "tiny");
      assert.deepEqual(set.notes, [
        "Fig. 4: no checkpoint for M2VAE on synthetic (its trials ran before checkpoints were kept or with --no-checkpoints; rerun with --fresh)",
        "Fig. 4: no checkpoint for M2VAE w/o DCL on synthetic (its trials ran before checkpoints were kept or with --no-checkpoints; rerun with --fresh)",
        "Fig. 5: no checkpoint for M2VAE on synthetic (its trials ran before checkpoints were kept or with --no-checkpoints; rerun with --fresh)",
      ]);
      assert.ok(set.figures.some((f) => f.name === "curves_synthetic"));
      assert.ok(!set.figures.some((f) => f.name.startsWith("fig")));
      const chosen = await chosenTrial(s, "M2VAE");
      await assert.rejects(() => loadTrial(s, chosen), /has no checkpoint at/);
    } finally {
      await s.close();
    }
  } finally {
    await Deno.remove(bare, { recursive: true });
  }
});

Deno.test("html: one self-contained page with every table and figure, nothing loaded from elsewhere", () =>
  withStore(async (s) => {
    const { html, figures } = await experimentHtml(s, "tiny", { mapItems: 50 });
    const tables = (await storeReport(s, "tiny", LAYOUTS)).tables;
    assert.equal((html.match(/<table class="result"/g) ?? []).length, tables.length);
    assert.equal((html.match(/<figure class="plot"/g) ?? []).length, figures.figures.length);
    assert.equal((html.match(/<svg/g) ?? []).length, figures.figures.length);
    for (const t of tables) assert.ok(html.includes(t.table.title.replace(/&/g, "&amp;")));
    assert.match(html, /Content-Security-Policy/);
    assert.match(html, /Split|split/);
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|src=|@import/);
    assert.doesNotMatch(html, /(href|url)\s*=?\s*\(?["']?https?:/);
    // Ids of the inline SVGs never collide.
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(
      renumberSvgIds(
        '<g clip-path="url(#clip7)"/><clipPath id="clip7"/><use href="#clip7"/>',
        "f2-",
      ),
      '<g clip-path="url(#f2-1)"/><clipPath id="f2-1"/><use href="#f2-1"/>',
    );
  }));
