/**
 * What the store keeps of a trial: its frozen spec. The type sits with the store that writes
 * and reads it; `lib/run/trial.ts` builds specs and hashes them.
 *
 * @module
 */
import type { DatasetSpec } from "../data/registry.ts";
import type { ModelFamily } from "../train/model.ts";
import type { RunSettings } from "../train/settings.ts";

/** JSON with object keys sorted, so equal values hash (and compare) equally. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${
      Object.keys(v).sort().map((k) =>
        `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`
      ).join(",")
    }}`;
  }
  return JSON.stringify(v);
}

/** One point of a search: the value of every axis, by axis name. */
export type SearchPoint = Record<string, unknown[]>;

/** One trial: everything needed to run it, frozen. */
export interface TrialSpec {
  /** Content hash of dataset, model, config, settings and seed (16 hex digits). */
  readonly key: string;
  readonly dataset: string;
  readonly datasetSpec: DatasetSpec;
  readonly model: string;
  /** Row label in reports. */
  readonly label: string;
  readonly variant: string;
  readonly family: ModelFamily;
  /** The search point (axis name → values) and its label (`""` without search). */
  readonly point: SearchPoint;
  readonly pointLabel: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly settings: Readonly<RunSettings>;
  readonly seed: number;
}
