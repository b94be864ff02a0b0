/**
 * M2VAE's parts that cannot act on a dataset, read from the store for an experiment's report:
 * its content views per dataset are counted from the modality gates its trials recorded; with
 * one view (citeulike-a, amazon-s3rec), or a configuration without the part, the variants that
 * switch off only such parts and run the full row's configuration are the full model up to their
 * initial draws (Table 4 marks them ≡), and Table 3's caption names the parts for the full row.
 * What can act is `inertParts`' (lib/models/m2vae/variants.ts).
 *
 * @example Usage
 * ```ts
 * const marks = await oneViewMarks(store, selections, trialsByKey);
 * marks.sameAsFull(selection); // true for "w/o M-MoE" on citeulike-a
 * marks.note; // "On citeulike-a M2VAE has one content view, so these parts cannot act: …"
 * ```
 *
 * @module
 */
import { M2VAE_DEFAULTS, type M2vaeConfig } from "../models/m2vae/config.ts";
import { type InertPart, inertParts, sameAsFull } from "../models/m2vae/variants.ts";
import { canonicalJson, type ResultStore, type TrialInfo } from "../store/mod.ts";
import type { Selection } from "./select.ts";

/**
 * The caption sentence naming the datasets on which M2VAE has one content view and the parts
 * that cannot act there (see `inertParts`), "" when there is none.
 *
 * @example Usage
 * ```ts
 * oneViewNote([{ dataset: "citeulike-a", parts: [{ part: "modality gates (M-MoE)",
 *   variant: "w/o M-MoE", reason: "a softmax over one view is 1" }] }]);
 * // "On citeulike-a M2VAE has one content view, so these parts cannot act: modality gates …"
 * ```
 */
export function oneViewNote(
  datasets: readonly { dataset: string; parts: readonly InertPart[] }[],
): string {
  return datasets.map(({ dataset, parts }) =>
    `On ${dataset} M2VAE has one content view, so these parts cannot act: ` +
    parts.map((p) => `${p.part} (${p.reason})`).join("; ") +
    // With the gates and α both inert, nothing in the fusion reads the user.
    (parts.some((p) => p.variant === "w/o V-MoE")
      ? "; so its fused posterior does not depend on the user."
      : ".")
  ).join(" ");
}

/** What a report marks of M2VAE's inert parts. */
export interface OneViewMarks {
  /** Whether a row trains the full model (a variant of inert parts, the full row's run). */
  sameAsFull(s: Selection): boolean;
  /** Table 3's caption sentence, "" when no full M2VAE row has an inert part. */
  note: string;
}

/** The marks of the selected rows `sel` of one protocol, whose chosen trials are in `byKey`. */
export async function oneViewMarks(
  store: ResultStore,
  sel: readonly Selection[],
  byKey: ReadonlyMap<string, TrialInfo>,
): Promise<OneViewMarks> {
  const views = await m2vaeViews(store, sel, byKey);
  const chosen = (s: Selection) => byKey.get(s.candidates[s.chosen].keys[0])!;
  const fullRows = new Map<string, Selection>();
  for (const s of sel) {
    if (s.model === "m2vae" && s.variant === "full" && !fullRows.has(s.dataset)) {
      fullRows.set(s.dataset, s);
    }
  }
  const same = new Set(
    sel.filter((s) => {
      const full = fullRows.get(s.dataset), n = views.get(s.dataset);
      return s.model === "m2vae" && full !== undefined && n !== undefined &&
        sameRun(chosen(s), chosen(full)) &&
        sameAsFull(s.variant, n, m2vaeConfig(chosen(s))) !== undefined;
    }),
  );
  const inert = [...fullRows].flatMap(([dataset, s]) => {
    const n = views.get(dataset);
    const parts = n === undefined ? [] : inertParts(n, m2vaeConfig(chosen(s)));
    return parts.length > 0 ? [{ dataset, parts }] : [];
  });
  return { sameAsFull: (s) => same.has(s), note: oneViewNote(inert) };
}

/**
 * M2VAE's number of content views on each dataset of `sel`: the modality gates
 * (`gates.mean.<view>`) at the last validation of its chosen trials that recorded them; a dataset
 * whose M2VAE trials recorded none (weighted-PoE fusion, or stored before the diagnostics) is
 * absent.
 */
async function m2vaeViews(
  store: ResultStore,
  sel: readonly Selection[],
  byKey: ReadonlyMap<string, TrialInfo>,
): Promise<Map<string, number>> {
  const gates = (d: Record<string, number> | undefined) =>
    Object.keys(d ?? {}).filter((x) => x.startsWith("gates.mean.")).length;
  const out = new Map<string, number>();
  for (const s of sel) {
    if (s.model !== "m2vae" || out.has(s.dataset)) continue;
    for (const k of s.candidates[s.chosen].keys.filter((k) => byKey.has(k))) {
      const n = (await store.curve(k)).map((p) => gates(p.diagnostics)).findLast((c) => c > 0);
      if (n !== undefined) {
        out.set(s.dataset, n);
        break;
      }
    }
  }
  return out;
}

/** A stored M2VAE trial's config over today's defaults (the switches `inertParts` reads). */
function m2vaeConfig(t: TrialInfo): Pick<M2vaeConfig, "fusion" | "commonView" | "earlyGenerate"> {
  return { ...M2VAE_DEFAULTS, ...t.spec.config } as M2vaeConfig;
}

/** Whether two trials ran the same configuration (their variants aside) and settings. */
function sameRun(a: TrialInfo, b: TrialInfo): boolean {
  const config = (t: TrialInfo) => {
    const { variant: _, ...rest } = t.spec.config;
    return canonicalJson(rest);
  };
  return config(a) === config(b) &&
    canonicalJson(a.spec.settings) === canonicalJson(b.spec.settings);
}
