/**
 * Leases on running trials. A claimed trial records the host, process and worker that run it and
 * a lease expiry, which the worker renews (its heartbeat) while the trial runs. A running trial is
 * stale — and goes back to `pending` for the next worker or coordinator — when:
 *
 * - it runs on this host and its process is gone (the fast path: no need to wait for the lease),
 *   or
 * - its lease has expired: on another host (another node of a cluster, where a process id means
 *   nothing), and on this one too, since a process id is reused (a restarted container) and a
 *   live worker renews its lease from a thread of its own, through any evaluation.
 *
 * A trial claimed before leases existed (no expiry) on another host is never stale, as before.
 * The lease length is `M2VAE_LEASE_SECONDS` (default {@linkcode DEFAULT_LEASE_SECONDS}).
 *
 * @example Usage
 * ```ts
 * import { leaseSeconds, staleReason } from "./lease.ts";
 *
 * const seconds = leaseSeconds({ M2VAE_LEASE_SECONDS: "60" }); // 60
 * const now = new Date().toISOString();
 * staleReason({ host: "node7", pid: 1, lease_expires: "2020-01-01T00:00:00.000Z" }, "node1", now);
 * // "lease expired"
 * ```
 *
 * @module
 */

/** Lease length when `M2VAE_LEASE_SECONDS` is not set: long enough for a slow validation. */
export const DEFAULT_LEASE_SECONDS = 300;

/**
 * The lease length in seconds from `env` (`M2VAE_LEASE_SECONDS`, a positive number), else the
 * default. A value that is not one is a RangeError naming the variable.
 */
export function leaseSeconds(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): number {
  const text = env.M2VAE_LEASE_SECONDS;
  if (text === undefined || text.trim() === "") return DEFAULT_LEASE_SECONDS;
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0) {
    throw new RangeError(
      `M2VAE_LEASE_SECONDS: expected a positive number of seconds, got "${text}"`,
    );
  }
  return v;
}

/**
 * This process's worker id: `host:pid`, with the Slurm job (and array task) when it runs in one,
 * or `M2VAE_WORKER_ID` when set (it must then differ between processes: the store tells workers
 * apart by it — whose lease a renewal extends, whose result stands, who may fail a trial).
 */
export function workerId(env: Record<string, string | undefined> = Deno.env.toObject()): string {
  if (env.M2VAE_WORKER_ID) return env.M2VAE_WORKER_ID;
  const base = `${Deno.hostname()}:${Deno.pid}`;
  if (env.SLURM_ARRAY_JOB_ID) {
    return `${base} slurm ${env.SLURM_ARRAY_JOB_ID}_${env.SLURM_ARRAY_TASK_ID ?? "?"}`;
  }
  return env.SLURM_JOB_ID ? `${base} slurm ${env.SLURM_JOB_ID}` : base;
}

/**
 * Whether process `pid` is alive on this host (Linux `/proc`; a zombie — killed but not yet
 * reaped — is dead; unknown = alive).
 */
export function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch (e) {
    return !(e instanceof Deno.errors.NotFound);
  }
}

/** The lease columns of a running trial's row. */
export interface LeaseRow {
  host: string | null;
  pid: number | null;
  lease_expires?: string | null;
}

/**
 * Why a running trial is stale (`process gone` or `lease expired`), or undefined while its
 * worker may still be running it. `now` is an ISO time (leases compare as ISO strings). On this
 * host a process that is gone frees its trial at once; a live one holds it only while it renews
 * the lease (its heartbeat runs on a thread of its own), since a process id is reused: after a
 * container restart the same pid may be another process, even the rerun itself.
 */
export function staleReason(r: LeaseRow, host: string, now: string): string | undefined {
  if (r.host === host && r.pid !== null && !alive(Number(r.pid))) return "process gone";
  if (r.lease_expires && r.lease_expires < now) return "lease expired";
  return undefined;
}

/** The ISO time `seconds` after `from`. */
export function isoAfter(from: Date, seconds: number): string {
  return new Date(from.getTime() + seconds * 1000).toISOString();
}
