/**
 * The heartbeat of a worker: while a claimed trial runs, its lease in the result store is renewed
 * every third of the lease length, from a thread of its own (a Web Worker with its own store
 * connection), so a long synchronous training epoch neither blocks it nor is blocked by it. When
 * the trial was re-queued meanwhile (its lease expired, e.g. the machine was suspended), `lost`
 * says so.
 *
 * @example Usage
 * ```ts
 * import { ResultStore } from "../store/mod.ts";
 * import { Heartbeat } from "./heartbeat.ts";
 *
 * const store = await ResultStore.open("results/store.sqlite");
 * const beat = await Heartbeat.start(store);
 * const t = await store.claim("demo");
 * if (t) {
 *   beat.hold(t.key);
 *   // … run the trial …
 *   beat.hold(null);
 * }
 * await beat.stop();
 * await store.close();
 * ```
 *
 * @module
 */
import type { ResultStore } from "../store/mod.ts";

/** Renews the lease of the trial this process runs, from its own thread. */
export class Heartbeat {
  /** Keys whose lease this worker found taken over (re-queued after it expired). */
  readonly lost = new Set<string>();
  /** Renewal errors (a store too busy to renew; the lease outlasts a few missed beats). */
  readonly errors: string[] = [];
  private stopped?: Promise<void>;

  private constructor(private readonly thread: Worker) {
    thread.onmessage = (e: MessageEvent) => {
      const m = e.data as { lost?: string; error?: string };
      if (m.lost) this.lost.add(m.lost);
      if (m.error) this.errors.push(m.error);
    };
  }

  /**
   * Starts the heartbeat thread of `store`'s worker (every `leaseSeconds / 3` seconds); resolves
   * once the thread runs with its own store connection.
   */
  static async start(
    store: ResultStore,
    everySeconds = store.leaseSeconds / 3,
  ): Promise<Heartbeat> {
    const thread = new Worker(new URL("./heartbeat_worker.ts", import.meta.url), {
      type: "module",
    });
    const ready = new Promise<void>((resolve, reject) => {
      thread.onmessage = (e: MessageEvent) => {
        const m = e.data as { ready?: boolean; failed?: string };
        if (m.ready) resolve();
        if (m.failed) reject(new Error(`heartbeat thread: ${m.failed}`));
      };
      thread.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        reject(new Error(`heartbeat thread: ${e.message}`));
      };
    });
    thread.postMessage({
      open: {
        path: store.path,
        leaseSeconds: store.leaseSeconds,
        worker: store.worker,
        everySeconds: Math.max(0.05, everySeconds),
      },
    });
    try {
      await ready;
    } catch (e) {
      thread.terminate();
      throw e;
    }
    return new Heartbeat(thread);
  }

  /** Renews the lease of trial `key` from now on (null: none, between trials). */
  hold(key: string | null): void {
    this.thread.postMessage({ key });
  }

  /** Stops the thread (after its store connection is closed). */
  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.thread.terminate();
        resolve();
      }, 2000);
      this.thread.onmessage = (e: MessageEvent) => {
        if ((e.data as { stopped?: boolean }).stopped) {
          clearTimeout(t);
          this.thread.terminate();
          resolve();
        }
      };
      this.thread.postMessage({ stop: true });
    });
    return this.stopped;
  }
}
