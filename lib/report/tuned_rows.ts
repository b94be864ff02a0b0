/**
 * Reading a tuned experiment's rows back from the store, as the tuning, budget and Table 3
 * layouts need them: its tuning entries for the rows a report shows, the presets each row had as
 * configurations of their own, and the configuration whose final runs it reports.
 *
 * @example Usage
 * ```ts
 * import { placedPresets } from "./tuned_rows.ts";
 *
 * placedPresets({ search: { presets: true } }, []); // Map {}: no tuned row
 * ```
 *
 * @module
 */
import type { ResultStore, TrialInfo, TuneEntry } from "../store/mod.ts";

/** The plan keys the tuning layout reads (plans stored before presets existed lack some). */
export interface TunedPlan {
  search?: {
    budget?: number;
    eta?: number;
    seed?: number;
    defaults?: boolean;
    presets?: boolean;
    topSeeds?: number;
  };
  seeds?: number[];
  models?: { label: string; presets?: { name: string; point: Record<string, unknown[]> }[] }[];
}

/**
 * The presets each tuned row had as configurations of their own, by row label, with the
 * configuration each one is. The protocol places a row's presets in order right after its
 * defaults, each as the defaults with the axes it sets, leaving out one that sets an axis the row
 * does not tune (a pinned one) or that equals the defaults or an earlier preset; this reads the
 * same placement back from the stored points (none when the plan's `search.presets` is off).
 * Without the defaults among the configurations (`search.defaults: false`) a preset's point is
 * known only on the axes it sets, and is matched on those.
 *
 * @example Usage
 * ```ts
 * placedPresets({
 *   search: { presets: true, defaults: true },
 *   models: [{ label: "M2VAE", presets: [{ name: "p", point: { klWeight: [0.001] } }] }],
 * }, [
 *   { label: "M2VAE", config: 0, point: '{"klWeight":[0.01],"lr":[0.001]}' },
 *   { label: "M2VAE", config: 1, point: '{"klWeight":[0.001],"lr":[0.001]}' },
 * ]); // Map { "M2VAE" => [{ config: 1, name: "p" }] }
 * ```
 */
export function placedPresets(
  plan: TunedPlan | undefined,
  entries: readonly Pick<TuneEntry, "label" | "config" | "point">[],
): Map<string, { config: number; name: string }[]> {
  const placed = new Map<string, { config: number; name: string }[]>();
  // Plans stored before `search.defaults` existed always had them (parseSearch's default).
  const { defaults = true, presets = false } = plan?.search ?? {};
  const tuned = new Set(entries.map((e) => e.label));
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const m of presets ? plan?.models ?? [] : []) {
    if (!tuned.has(m.label)) continue;
    const points = new Map<number, Record<string, unknown>>();
    for (const e of entries) {
      if (e.label === m.label && !points.has(e.config)) {
        points.set(e.config, e.point ? JSON.parse(e.point) : {});
      }
    }
    const base = defaults ? points.get(0) : undefined;
    let at = defaults ? 1 : 0;
    const found: { config: number; name: string }[] = [];
    const taken: Record<string, unknown[]>[] = [];
    for (const p of m.presets ?? []) {
      const q = points.get(at);
      if (q === undefined) break;
      if (!Object.keys(p.point).every((a) => a in q)) continue; // an axis the row does not tune
      if (taken.some((t) => same(t, p.point))) continue; // the same as an earlier preset
      const want: Record<string, unknown> = base ? { ...base, ...p.point } : p.point;
      const keys = new Set([...Object.keys(want), ...(base ? Object.keys(q) : [])]);
      if ([...keys].every((k) => same(q[k], want[k]))) {
        found.push({ config: at++, name: p.name });
        taken.push(p.point);
      }
    }
    if (found.length > 0) placed.set(m.label, found);
  }
  return placed;
}

/**
 * An experiment's tuning entries of the rows `infos` holds (a merged report leaves out a row
 * another experiment gives).
 */
export async function rowEntries(
  store: ResultStore,
  experiment: string,
  infos: readonly TrialInfo[],
): Promise<TuneEntry[]> {
  return (await store.tuneEntries(experiment)).filter((e) =>
    infos.some((t) => t.spec.label === e.label && t.spec.dataset === e.dataset)
  );
}

/**
 * The configuration of a tuned row whose final runs the experiment reports (linked with role
 * `result`), undefined before the choice. Its first seed's final is its top-rung trial (same
 * key), so a later seed's tells it apart; with one seed the top-rung trial's link says it.
 */
export function reportedConfig(
  row: readonly TuneEntry[],
  linked: ReadonlyMap<string, Pick<TrialInfo, "role">>,
): number | undefined {
  const configs = [...new Set(row.map((e) => e.config))].sort((a, b) => a - b);
  const finalsOf = (c: number) => row.filter((e) => e.config === c && e.rung === -1);
  const reported = (e: TuneEntry) => linked.get(e.trial)?.role === "result";
  const tuneSeed = row.find((e) => e.rung >= 0)?.seed;
  return configs.find((c) => finalsOf(c).some((e) => e.seed !== tuneSeed && reported(e))) ??
    configs.find((c) =>
      finalsOf(c).every((e) => e.seed === tuneSeed) && finalsOf(c).some(reported)
    );
}
