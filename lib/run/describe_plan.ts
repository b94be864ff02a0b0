/**
 * What a dry run prints of an experiment (`run --dry-run`): its trial count, seeds, protocol and
 * search, then per dataset each row's configurations (or its tuning rungs) and seeds.
 *
 * @example Usage
 * ```ts
 * import { loadExperiment } from "../config/mod.ts";
 * import { describePlan } from "./describe_plan.ts";
 * import { planTrials } from "./plan.ts";
 *
 * const plan = await loadExperiment("experiments/demo.yaml");
 * console.log(describePlan(plan, planTrials(plan)));
 * ```
 *
 * @module
 */
import type { ExperimentPlan } from "../config/experiment.ts";
import { tuneConfigurations } from "../config/search.ts";
import type { TrialSpec } from "./plan.ts";
import type { TuneRow } from "./tune.ts";

/** The plan of an experiment, as printed: trial count and per-dataset breakdown. */
export function describePlan(
  plan: ExperimentPlan,
  trials: TrialSpec[],
  tuning: TuneRow[] = [],
): string {
  const searched = plan.search.method === "tune"
    ? `tune (${plan.search.budget} configurations per row: ` + tuneConfigurations({
      budget: plan.search.budget,
      defaults: plan.search.defaults !== false,
      presets: tuning.some((r) => r.presets.length > 0),
    }) +
      `, successive halving with eta ${plan.search.eta}` +
      ((plan.search.topSeeds ?? 1) > 1
        ? `, the top rung chosen by mean validation over ${plan.search.topSeeds} seeds)`
        : ")")
    : plan.atChoice !== undefined
    ? `none: every row of a tuned model at its full row's choice in ${plan.atChoice}`
    : `${plan.search.method} over ${plan.search.axes.map((a) => a.name).join(", ") || "nothing"}`;
  const lines = [
    `experiment ${plan.name} (${plan.file}): ${trials.length} trials` +
    (tuning.length ? " to start with" : "") + `, ` +
    `${plan.seeds.length} seed(s) [${
      plan.seeds.join(", ")
    }], protocol ${plan.settings.protocol}, search ${searched}`,
  ];
  for (const ds of plan.datasets) {
    const mine = trials.filter((t) => t.dataset === ds.name);
    lines.push(`  ${ds.name} (${ds.spec.kind}): ${mine.length} trials`);
    for (const m of plan.models) {
      const row = tuning.find((r) => r.dataset === ds.name && r.label === m.label);
      if (row) {
        lines.push(
          `    ${m.label}: ${row.configs.length} configurations${
            row.presets.length > 0 ? ` (presets: ${row.presets.join(", ")})` : ""
          } tuned on seed ${plan.seeds[0]} ` +
            `(rungs of ${row.rungs.join("/")} epochs), then the chosen one × ` +
            `${plan.seeds.length} seed(s)`,
        );
        continue;
      }
      const rows = mine.filter((t) => t.label === m.label);
      const points = new Set(rows.map((t) => t.pointLabel)).size;
      lines.push(`    ${m.label}: ${points} configuration(s) × ${plan.seeds.length} seed(s)`);
    }
  }
  lines.push(`configs: ${plan.configsDir}`);
  return lines.join("\n");
}
