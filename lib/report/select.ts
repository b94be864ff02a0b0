/**
 * Hyperparameter selection on validation only. The selector's input type has no test metrics,
 * so it cannot look at them: for every (protocol, dataset, row label) it averages the chosen
 * validation metric over the seeds of each search point and keeps the best point. Test metrics
 * are fetched afterwards, for the selected point's trials only.
 *
 * @module
 */
import type { ModelFamily } from "../models/model.ts";
import { type MeanStd, meanStd } from "./aggregate.ts";

/** What the selector sees of a finished trial: identity and validation metrics, never test. */
export interface ValidationRecord {
  readonly key: string;
  readonly protocol: string;
  readonly dataset: string;
  readonly model: string;
  readonly label: string;
  readonly variant: string;
  readonly family: ModelFamily;
  readonly point: Readonly<Record<string, unknown[]>>;
  readonly pointLabel: string;
  readonly seed: number;
  readonly valid: Readonly<Record<string, number>>;
}

/** One search point of a row, with its validation score. */
export interface Candidate {
  pointLabel: string;
  point: Readonly<Record<string, unknown[]>>;
  /** The selection metric over seeds. */
  score: MeanStd;
  keys: string[];
  seeds: number[];
}

/** The selected configuration of one (protocol, dataset, row). */
export interface Selection {
  protocol: string;
  dataset: string;
  model: string;
  label: string;
  variant: string;
  family: ModelFamily;
  metric: string;
  /** Every point tried, in first-seen order; `chosen` indexes the selected one. */
  candidates: Candidate[];
  chosen: number;
}

/**
 * Selects, per (protocol, dataset, label), the search point with the highest mean validation
 * `metric` over seeds (ties: the first point in plan order). Throws a RangeError naming the
 * trial when one lacks the metric.
 */
export function selectOnValidation(
  records: readonly ValidationRecord[],
  metric: string,
): Selection[] {
  const groups = new Map<string, ValidationRecord[]>();
  for (const r of records) {
    if (!(metric in r.valid)) {
      throw new RangeError(
        `Trial ${r.key} (${r.dataset} ${r.label} seed ${r.seed}) has no validation ${metric}`,
      );
    }
    const id = JSON.stringify([r.protocol, r.dataset, r.label]);
    groups.set(id, [...(groups.get(id) ?? []), r]);
  }
  const out: Selection[] = [];
  for (const rs of groups.values()) {
    const byPoint = new Map<string, ValidationRecord[]>();
    for (const r of rs) byPoint.set(r.pointLabel, [...(byPoint.get(r.pointLabel) ?? []), r]);
    const candidates: Candidate[] = [...byPoint.values()].map((ps) => ({
      pointLabel: ps[0].pointLabel,
      point: ps[0].point,
      score: meanStd(ps.map((p) => p.valid[metric])),
      keys: ps.map((p) => p.key),
      seeds: ps.map((p) => p.seed),
    }));
    // A non-finite mean (a NaN metric, which PostgreSQL stores) ranks below every finite one;
    // compared as is, a NaN first point would never be replaced.
    const score = (c: Candidate) => Number.isFinite(c.score.mean) ? c.score.mean : -Infinity;
    let chosen = 0;
    candidates.forEach((c, i) => {
      if (score(c) > score(candidates[chosen])) chosen = i;
    });
    const r = rs[0];
    out.push({
      protocol: r.protocol,
      dataset: r.dataset,
      model: r.model,
      label: r.label,
      variant: r.variant,
      family: r.family,
      metric,
      candidates,
      chosen,
    });
  }
  return out;
}
