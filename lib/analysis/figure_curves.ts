/**
 * The figures over training of one dataset's rows, each at its selected configuration: the
 * validation metric against step (`curves_<dataset>`), each row's loss terms
 * (`losses_<dataset>_<row>`) and the models' diagnostics (`diagnostics_<dataset>`); mean over
 * seeds with a ± one standard deviation band.
 *
 * @example
 * ```ts
 * curveFigures(ctx); // ctx: the dataset's FigureContext
 * const names = ctx.out.figures.map((f) => f.name); // ["losses_synthetic_m2vae", "curves_synthetic", …]
 * ```
 *
 * @module
 */
import { type FigureContext, seedsText, slug, uniq } from "./figure_context.ts";
import { chosenKeys } from "./trials.ts";
import { curvesSpec, panelsSpec, type SeriesPoint } from "./specs.ts";

/** Diagnostics shown over training (the rest stay in the tables). */
const DIAGNOSTIC_KEYS = [
  /^gap\./,
  /^gates\.(sdUsers|sdItems|entropy|truthCorr)$/,
  /^alpha\.(mean|sdUsers)$/,
  /^dcl\.ratio$/,
  /^post\.[^.]+\.(active|snr)$/,
];

/** gap.shared first, then gap.noLatent, then any other probe in the order seen. */
function gapRank(key: string): number {
  const i = ["gap.shared", "gap.noLatent"].indexOf(key);
  return i < 0 ? 2 : i;
}

/** What the gaps in the panel measure, for the caption; the first is solid, the rest dashed. */
function gapText(gaps: string[]): string {
  const known: Record<string, string> = {
    "gap.shared": "the alternative scores from the common view only: the user-awareness gap",
    "gap.noLatent": "the alternative scores with z = 0, the decoder's raw-view path alone: " +
      "what the latent path adds at inference, near 0 when the VAE part is not used",
  };
  return gaps.map((k, i) => `${k}${i > 0 ? ", dashed" : ""}: ${known[k] ?? "see the model"}`)
    .join("; ");
}

/** Adds the curves, loss-term and diagnostics figures of the context's dataset. */
export async function curveFigures(ctx: FigureContext): Promise<void> {
  const { store, sel, trials, metric, dataset, tag: d, where, out } = ctx;
  const metricPoints: SeriesPoint[] = [];
  const diagPoints: (SeriesPoint & { row: string })[] = [];
  const seedNotes: string[] = [];
  for (const s of sel) {
    const keys = chosenKeys(s, trials);
    seedNotes.push(`${s.label}: ${seedsText(keys, trials)}`);
    const lossPoints: SeriesPoint[] = [];
    for (const k of keys) {
      const seed = trials.get(k)!.spec.seed;
      for (const p of (await store.curve(k))) {
        const m = p.metrics[metric];
        if (Number.isFinite(m)) {
          metricPoints.push({ series: s.label, seed, step: p.step, value: m });
        }
        for (const [term, v] of Object.entries(p.losses)) {
          if (Number.isFinite(v)) lossPoints.push({ series: term, seed, step: p.step, value: v });
        }
        for (const [key, v] of Object.entries(p.diagnostics)) {
          if (Number.isFinite(v) && DIAGNOSTIC_KEYS.some((r) => r.test(key))) {
            diagPoints.push({ series: key, row: s.label, seed, step: p.step, value: v });
          }
        }
      }
    }
    if (lossPoints.length > 0) {
      out.figures.push({
        name: `losses_${d}_${slug(s.label)}`,
        title: `Training loss terms: ${s.label} on ${dataset}`,
        caption: `Mean training loss terms between validations of ${s.label} on ${dataset} ` +
          `at its selected configuration${
            s.candidates.length > 1 ? ` (${s.candidates[s.chosen].pointLabel})` : ""
          }, ` +
          `against training step: mean over ${seedsText(keys, trials)} (line) ± one standard ` +
          `deviation (band); each term on its own scale ("loss" is the weighted total that is ` +
          `minimised; chance.* are reference levels, not trained). ${where}.`,
        spec: panelsSpec(`Loss terms — ${s.label}, ${dataset}`, lossPoints),
      });
    }
  }
  if (metricPoints.length > 0) {
    out.figures.push({
      name: `curves_${d}`,
      title: `Validation ${metric} over training on ${dataset}`,
      caption: `Validation ${metric} on the cold validation items of ${dataset} against ` +
        `training step, every row at its selected configuration: mean over seeds (line) ± one ` +
        `standard deviation (band). ${seedNotes.join("; ")}. The kept checkpoint of each seed ` +
        `is its best validation point. ${where}.`,
      spec: curvesSpec(`Validation ${metric} — ${dataset}`, metric, metricPoints),
    });
  }
  if (diagPoints.length > 0) {
    // The gaps share one panel, so the probes compare on one scale: gap.shared (the common
    // view only) solid, gap.noLatent (z = 0) dashed, and any other probe after them.
    const gaps = uniq(diagPoints.map((p) => p.series).filter((k) => k.startsWith("gap.")))
      .sort((a, b) => gapRank(a) - gapRank(b));
    const gapPanel = gaps.join(", ");
    const points = gaps.length === 0 ? diagPoints : [
      ...diagPoints.filter((p) => gaps.includes(p.series))
        .sort((a, b) => gapRank(a.series) - gapRank(b.series))
        .map((p) => ({ ...p, series: gapPanel, dash: p.series.slice(4) })),
      ...diagPoints.filter((p) => !gaps.includes(p.series)).map((p) => ({ ...p, dash: "" })),
    ];
    out.figures.push({
      name: `diagnostics_${d}`,
      title: `Diagnostics over training on ${dataset}`,
      caption: `The models' own measurements on cold validation items at every validation ` +
        `(${uniq(diagPoints.map((p) => p.row)).join(", ")} on ${dataset}), mean over seeds ± one ` +
        `standard deviation: gap.* = validation ${metric} of the main minus the alternative ` +
        `inference${gaps.length ? `, in one panel (${gapText(gaps)})` : ""}; gates.* the ` +
        `modality gates' spread over users and items and their entropy; ` +
        `alpha.* the view gate; dcl.ratio = L_disentangle over its chance level; post.<view>.active ` +
        `= dimensions with Cov(μ) > 0.01 and snr = rms(μ)/rms(σ). ${where}.`,
      spec: panelsSpec(`Diagnostics — ${dataset}`, points, "row", gaps.length ? "gap" : undefined),
    });
  }
}
