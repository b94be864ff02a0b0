/**
 * Where an experiment stands in the store, for `deno task status`: its reported trials by status
 * (pending, running, done, failed), its tuning rungs apart (released and by status, and how many
 * the protocol has not released: pruned, or waiting for a rung to complete), every running trial
 * with its host, worker and the age of its lease, and every failed trial's error.
 *
 * @example Usage
 * ```ts
 * import { ResultStore } from "./store.ts";
 * import { experimentStatus, renderStatus } from "./status.ts";
 *
 * const store = await ResultStore.open("results/store.sqlite", { mustExist: true });
 * console.log(renderStatus(await experimentStatus(store, "table3")));
 * await store.close();
 * ```
 *
 * @module
 */
import { formatDuration } from "../train/progress.ts";
import type { TrialStatus } from "./rows.ts";
import type { ResultStore, StatusCounts } from "./store.ts";
import { shownStore } from "./store_name.ts";

/** A running trial: what it is, where it runs and how fresh its lease is. */
export interface RunningTrial {
  key: string;
  /** `dataset label [point] seed N`. */
  trial: string;
  role: string;
  host: string | null;
  worker: string | null;
  /** Seconds since it was claimed. */
  runningSeconds: number | null;
  /** Seconds since its last heartbeat (null: claimed before the store had leases). */
  leaseAgeSeconds: number | null;
  /** Seconds until its lease expires (negative: expired, re-queued by the next claim). */
  expiresInSeconds: number | null;
}

/** An experiment's state in the store. */
export interface ExperimentStatus {
  name: string;
  file: string;
  updatedAt: string;
  /** Reported trials (role `result`) by status. */
  results: StatusCounts;
  /** Tuning rungs released so far (role `tune`), by status. */
  tune: StatusCounts;
  /** Tuning trials not released (pruned by successive halving, or waiting for their rung). */
  unreleased: number;
  running: RunningTrial[];
  failed: { key: string; trial: string; error: string }[];
}

const seconds = (from: string | null, to: number) =>
  from === null ? null : (to - Date.parse(from)) / 1000;

/** The status of `experiment` in `store` at time `now` (ms). */
export async function experimentStatus(
  store: ResultStore,
  experiment: string,
  now = Date.now(),
): Promise<ExperimentStatus> {
  const stored = await store.experiments();
  const meta = stored.find((e) => e.name === experiment);
  if (!meta) {
    const known = stored.map((e) => `"${e.name}"`).join(", ") || "none";
    throw new RangeError(
      `No experiment "${experiment}" in ${shownStore(store.path)} (stored: ${known})`,
    );
  }
  const zero = (): StatusCounts => ({ pending: 0, running: 0, done: 0, failed: 0 });
  const results = zero(), tune = zero();
  const running: RunningTrial[] = [], failed: ExperimentStatus["failed"] = [];
  const trials = await store.trials(experiment);
  for (const t of trials) {
    (t.role === "tune" ? tune : results)[t.status as TrialStatus]++;
    const s = t.spec;
    const name = `${s.dataset} ${s.label}${
      s.pointLabel ? ` [${s.pointLabel}]` : ""
    } seed ${s.seed}`;
    if (t.status === "running") {
      const l = t.lease;
      running.push({
        key: s.key,
        trial: name,
        role: t.role,
        host: l?.host ?? null,
        worker: l?.worker ?? null,
        runningSeconds: seconds(l?.startedAt ?? null, now),
        leaseAgeSeconds: seconds(l?.heartbeatAt ?? null, now),
        expiresInSeconds: l?.expires ? -(seconds(l.expires, now) as number) : null,
      });
    }
    if (t.status === "failed") failed.push({ key: s.key, trial: name, error: t.error ?? "" });
  }
  const linked = new Set(trials.map((t) => t.spec.key));
  const unreleased = new Set(
    (await store.tuneEntries(experiment)).map((e) => e.trial).filter((k) => !linked.has(k)),
  ).size;
  return {
    name: meta.name,
    file: meta.file,
    updatedAt: meta.updatedAt,
    results,
    tune,
    unreleased,
    running,
    failed,
  };
}

function countsLine(c: StatusCounts): string {
  return `${c.pending} pending, ${c.running} running, ${c.done} done, ${c.failed} failed`;
}

/** The status as text: counts, then one line per running and per failed trial. */
export function renderStatus(s: ExperimentStatus): string {
  const lines = [`${s.name} (${s.file}, registered ${s.updatedAt})`];
  lines.push(`  trials: ${countsLine(s.results)}`);
  const rungs = s.tune.pending + s.tune.running + s.tune.done + s.tune.failed;
  if (rungs > 0 || s.unreleased > 0) {
    lines.push(
      `  tuning rungs: ${countsLine(s.tune)}; ${s.unreleased} not released ` +
        `(pruned, or waiting for a rung to complete)`,
    );
  }
  if (s.running.length) lines.push("  running:");
  for (const r of s.running) {
    const lease = r.leaseAgeSeconds === null
      ? "no lease (claimed before leases)"
      : `lease renewed ${formatDuration(r.leaseAgeSeconds)} ago, ` +
        (r.expiresInSeconds! >= 0
          ? `expires in ${formatDuration(r.expiresInSeconds!)}`
          : `expired ${formatDuration(-r.expiresInSeconds!)} ago (re-queued by the next claim)`);
    lines.push(
      `    ${r.key} ${r.trial}${r.role === "tune" ? " (tuning rung)" : ""} on ` +
        `${r.host ?? "?"} (worker ${r.worker ?? "?"}), for ${
          formatDuration(r.runningSeconds ?? NaN)
        }; ${lease}`,
    );
  }
  if (s.failed.length) lines.push("  failed:");
  for (const f of s.failed) lines.push(`    ${f.key} ${f.trial}: ${f.error}`);
  return lines.join("\n");
}
