/**
 * Stored rows and their mapping to typed objects: a trial's frozen spec, and its status and
 * provenance without metrics; an experiment; a point of a validation curve.
 *
 * @module
 */
import type { TrialSpec } from "./trial_spec.ts";

/** A raw SQLite row. */
export type Row = Record<string, any>;

/** Trial status in the store. */
export type TrialStatus = "pending" | "running" | "done" | "failed";

/** A stored trial's spec and provenance (no metrics). */
export interface TrialInfo {
  spec: TrialSpec;
  status: TrialStatus;
  /** `result` (reported) or `tune` (a tuning rung of the experiment, never reported). */
  role: string;
  /** The worker that claimed it last (for a finished trial, the one that finished it). */
  worker: string | null;
  protocol: string;
  splitDescription: string | null;
  splitFingerprint: string | null;
  datasetFingerprint: string | null;
  codeVersion: string | null;
  toolkitVersion: string | null;
  backend: string | null;
  bestStep: number | null;
  steps: number | null;
  parameters: number | null;
  setupSeconds: number | null;
  trainSeconds: number | null;
  evalSeconds: number | null;
  error: string | null;
  /** Who holds a running trial and until when (absent unless it is running). */
  lease?: TrialLease;
}

/**
 * The seconds a trial recorded: setup, training and evaluation (0 for what it has not recorded),
 * the CPU time reports and progress lines count per row.
 *
 * @example Usage
 * ```ts
 * recordedSeconds({ setupSeconds: 2, trainSeconds: 30, evalSeconds: null }); // 32
 * ```
 */
export function recordedSeconds(
  t: Pick<TrialInfo, "setupSeconds" | "trainSeconds" | "evalSeconds">,
): number {
  return (t.setupSeconds ?? 0) + (t.trainSeconds ?? 0) + (t.evalSeconds ?? 0);
}

/** The lease of a running trial (see `lease.ts`); times are ISO strings. */
export interface TrialLease {
  host: string | null;
  pid: number | null;
  worker: string | null;
  startedAt: string | null;
  /** The last heartbeat (null: claimed before the store had leases). */
  heartbeatAt: string | null;
  expires: string | null;
}

/** The frozen spec of a `trials` row. */
export function rowSpec(r: Row): TrialSpec {
  return Object.freeze({
    key: r.key,
    dataset: r.dataset,
    datasetSpec: JSON.parse(r.dataset_spec),
    model: r.model,
    // Likewise its row label: the same config may be another row of another experiment.
    label: r.link_label ?? r.label,
    variant: r.variant,
    family: r.family,
    // An experiment's own point for the trial (from its link) wins over the trial's first one.
    point: JSON.parse(r.link_point ?? r.point),
    pointLabel: r.link_point_label ?? r.point_label,
    config: JSON.parse(r.config),
    settings: JSON.parse(r.settings),
    seed: Number(r.seed),
  });
}

/** Spec, status and provenance of a `trials` row. */
export function rowInfo(r: Row): TrialInfo {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    spec: rowSpec(r),
    status: r.status,
    role: r.role ?? "result",
    protocol: r.protocol,
    splitDescription: r.split_description ?? null,
    splitFingerprint: r.split_fingerprint ?? null,
    datasetFingerprint: r.dataset_fingerprint ?? null,
    codeVersion: r.code_version ?? null,
    toolkitVersion: r.toolkit_version ?? null,
    backend: r.backend ?? null,
    bestStep: num(r.best_step),
    steps: num(r.steps),
    parameters: num(r.parameters),
    setupSeconds: num(r.setup_seconds),
    trainSeconds: num(r.train_seconds),
    evalSeconds: num(r.eval_seconds),
    error: r.error ?? null,
    worker: r.worker ?? null,
    ...(r.status === "running"
      ? {
        lease: {
          host: r.host ?? null,
          pid: num(r.pid),
          worker: r.worker ?? null,
          startedAt: r.started_at ?? null,
          heartbeatAt: r.heartbeat_at ?? null,
          expires: r.lease_expires ?? null,
        },
      }
      : {}),
  };
}

/** A stored experiment. */
export interface ExperimentInfo {
  name: string;
  file: string;
  description: string;
  updatedAt: string;
}

/** One point of a trial's validation curve. */
export interface StoredCurvePoint {
  step: number;
  epoch: number;
  metrics: Record<string, number>;
  losses: Record<string, number>;
  /** The model's diagnostics at this point (`{}` for a model without any). */
  diagnostics: Record<string, number>;
}

/** The experiment of an `experiments` row. */
export function rowExperiment(r: Row): ExperimentInfo {
  return { name: r.name, file: r.file, description: r.description, updatedAt: r.updated_at };
}

/** The curve point of a `curves` row joined with its diagnostics' values as `diag`. */
export function rowCurvePoint(r: Row): StoredCurvePoint {
  return {
    step: r.step,
    epoch: r.epoch,
    metrics: JSON.parse(r.metrics),
    losses: JSON.parse(r.losses),
    diagnostics: r.diag ? JSON.parse(r.diag) : {},
  };
}
