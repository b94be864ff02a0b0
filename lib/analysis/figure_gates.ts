/**
 * The paper's Fig. 5 (`fig5_<dataset>`): M2VAE's modality gates and α for a few (user, item)
 * pairs chosen reproducibly: of 64 evenly spaced training users, those whose gates vary most
 * across 16 evenly spaced cold test items, each with its two items of most different gates.
 *
 * @example
 * ```ts
 * await gateFigure(ctx); // ctx: the dataset's FigureContext, models restored through ctx.load
 * console.log(ctx.out.gates.map((g) => `${g.user} ${g.item} α=${g.commonWeight}`));
 * ```
 *
 * @module
 */
import { evenlySpaced } from "../train/trainer.ts";
import { explainable, type Gates } from "./explain.ts";
import { type FigureContext, m2vaeRows, trialWithCheckpoint, uniq } from "./figure_context.ts";
import { type GateBar, gatesSpec } from "./specs.ts";

/** Adds Fig. 5 of the context's dataset (a note instead for a model without gates). */
export async function gateFigure(ctx: FigureContext): Promise<void> {
  const { dataset, tag: d, where, opts, out } = ctx;
  const { main } = m2vaeRows(ctx.sel);
  if (!main) return;
  const t = trialWithCheckpoint(ctx, main, "Fig. 5");
  if (!t) return;
  const loaded = await ctx.load(t);
  let ex;
  try {
    ex = explainable(loaded.model, `trial ${t.spec.key}`);
    ex.explain(loaded.split.trainUsers[0], loaded.split.testItems[0]);
  } catch (e) {
    out.notes.push(`Fig. 5: ${main.label} on ${dataset}: ${(e as Error).message}`);
    return;
  }
  const { dataset: ds, split } = loaded;
  const users = evenlySpaced(split.trainUsers, 64), items = evenlySpaced(split.testItems, 16);
  const g: Gates[][] = [...users].map((u) => [...items].map((i) => ex.explain(u, i)));
  const views = Object.keys(g[0][0].gates);
  const vec = (x: Gates) => [...views.map((v) => x.gates[v]), x.commonWeight];
  const spread = g.map((row) =>
    Math.max(...views.map((v) => {
      const xs = row.map((x) => x.gates[v]);
      return Math.max(...xs) - Math.min(...xs);
    }))
  );
  const nUsers = Math.min(opts.gateUsers ?? 3, users.length);
  const chosen = [...users.keys()].sort((a, b) => spread[b] - spread[a] || a - b).slice(0, nUsers);
  const hasAlpha = main.variant !== "w/o common" &&
    g.some((r) => r.some((x) => x.commonWeight > 0));
  const bars: GateBar[] = [];
  for (const ui of chosen) {
    let best = [0, Math.min(1, items.length - 1)], bestD = -1;
    for (let a = 0; a < items.length; a++) {
      for (let b = a + 1; b < items.length; b++) {
        const va = vec(g[ui][a]), vb = vec(g[ui][b]);
        const dist = va.reduce((s, x, k) => s + Math.abs(x - vb[k]), 0);
        if (dist > bestD) [best, bestD] = [[a, b], dist];
      }
    }
    for (const ii of uniq(best)) {
      const x = g[ui][ii];
      const user = ds.userIds[users[ui]], item = ds.itemIds[items[ii]];
      out.gates.push({ dataset, label: main.label, trial: t.spec.key, user, item, ...x });
      for (const v of views) {
        bars.push({ user: `user ${user}`, item, quantity: `gate ${v}`, value: x.gates[v] });
      }
      if (hasAlpha) {
        bars.push({
          user: `user ${user}`,
          item,
          quantity: "α (common view)",
          value: x.commonWeight,
        });
      }
    }
  }
  out.figures.push({
    name: `fig5_${d}`,
    title: `Fig. 5: modality gates and α per user — ${dataset}`,
    caption: `Fig. 5. ${main.label} (trial ${t.spec.key}, seed ${t.spec.seed}) on ${dataset}: ` +
      `the modality gates of the unique views (${views.join(", ")}; they sum to 1)` +
      (hasAlpha ? ` and the view gate α (the common view's weight)` : "") +
      ` for the ${nUsers} users whose gates vary most across ${items.length} cold test items ` +
      `(candidates: ${users.length} training users and those items, both evenly spaced), each ` +
      `with its two items of most different gates; from the posterior means, as cold ` +
      `inference computes them. Users and items carry the dataset's own ids. ${where}.`,
    spec: gatesSpec(`Fig. 5 — ${dataset}: gates per user and item`, bars),
  });
}
