/**
 * What a run says when it ends: the line that counts the registered trials
 * ({@linkcode registeredSummary}), the note on trials another process still runs
 * ({@linkcode runningElsewhere}) and the exit code ({@linkcode exitCode}).
 *
 * @example Usage
 * ```ts
 * import { exitCode, registeredSummary, runningElsewhere } from "./run_summary.ts";
 * const counts = { pending: 32, running: 0, done: 64, failed: 0 };
 * registeredSummary(96, counts); // "96 trials, 64 already done, 32 to run"
 * runningElsewhere(2); // "2 trials still running in another process"
 * const stored = [{ spec: { dataset: "d", label: "GAR" }, status: "done" }];
 * rowsLeftOut(stored, [{ dataset: "d", label: "CLCRec" }]); // ["d GAR"]
 * exitCode({ done: 64, planned: 96, failed: [] }, counts); // 1: trials left pending
 * ```
 *
 * @module
 */
import type { StatusCounts } from "../store/mod.ts";

/**
 * The rows (`dataset label`) that have finished trials in the experiment as stored but that the
 * plan about to replace it on its datasets leaves out: registering a plan with fewer rows (say
 * `--set 'models={gar: {}}'` to run one row) unlinks them from the experiment, so its report
 * shows them only once a plan lists them again (their trials stay in the store).
 */
export function rowsLeftOut(
  stored: readonly { spec: { dataset: string; label: string }; status: string }[],
  planned: readonly { dataset: string; label: string }[],
): string[] {
  const row = (t: { dataset: string; label: string }) => `${t.dataset} ${t.label}`;
  const kept = new Set(planned.map(row)), on = new Set(planned.map((t) => t.dataset));
  const out = new Set<string>();
  for (const t of stored) {
    if (t.status === "done" && on.has(t.spec.dataset) && !kept.has(row(t.spec))) {
      out.add(row(t.spec));
    }
  }
  return [...out];
}

/** The line a run prints when its plan leaves out rows with results ({@linkcode rowsLeftOut}). */
export function rowsLeftOutNote(experiment: string, rows: readonly string[]): string {
  return `${experiment}: this plan leaves out ${rows.length} row(s) with stored results ` +
    `(${rows.join(", ")}): the report shows them again once a plan lists them (their trials ` +
    `stay in the store); to run some rows alone, give the run another --set name=`;
}

/** "2 trials still running in another process". */
export function runningElsewhere(n: number): string {
  return `${n} trial${n === 1 ? "" : "s"} still running in another process`;
}

/**
 * A run succeeded when nothing failed and every trial it could run is done or running in
 * another process (a second coordinator on the same store finishes them), so the first of two
 * coordinators to finish exits 0 with the report so far.
 */
export function exitCode(
  report: { done: number; planned: number; failed: unknown[] },
  end: StatusCounts,
): number {
  if (report.failed.length > 0 || end.pending > 0) return 1;
  return report.done >= report.planned || end.running > 0 ? 0 : 1;
}

/**
 * "48 trials, 16 already done, 32 to run". Counts are over the experiment's trials in the store,
 * which include those kept from its runs on other datasets; when there are such, say so.
 */
export function registeredSummary(
  planned: number,
  c: StatusCounts,
  tuned = false,
): string {
  const total = c.pending + c.running + c.done + c.failed;
  const counts = `${c.done} already done, ${c.pending} to run` +
    (c.running ? `, ${c.running} running elsewhere` : "");
  if (tuned) return `tuning: ${total} trials released so far, ${counts}`;
  return total === planned
    ? `${planned} trials, ${counts}`
    : `${planned} trials planned; with its other datasets the experiment has ${total}: ${counts}`;
}
