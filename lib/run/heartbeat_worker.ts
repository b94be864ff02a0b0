/**
 * The heartbeat's thread (a Web Worker, see `heartbeat.ts`): renews the lease of the trial its
 * process runs every few seconds through a store connection of its own, so a training epoch that
 * holds the main thread for minutes does not let the lease expire. Messages: `{ open: { path,
 * leaseSeconds, worker, everySeconds } }` once (answered `{ ready: true }`), then `{ key }` (a key, or null between trials),
 * then `{ stop: true }`.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { ResultStore } from "../store/mod.ts";

let store: ResultStore | undefined;
let key: string | null = null;
let timer: ReturnType<typeof setInterval> | undefined;

self.onmessage = (e: MessageEvent) => {
  const m = e.data as {
    open?: { path: string; leaseSeconds: number; worker: string; everySeconds: number };
    key?: string | null;
    stop?: boolean;
  };
  if (m.open) {
    store = ResultStore.open(m.open.path, {
      mustExist: true,
      leaseSeconds: m.open.leaseSeconds,
      worker: m.open.worker,
    });
    timer = setInterval(beat, m.open.everySeconds * 1000);
    self.postMessage({ ready: true });
  }
  if (m.key !== undefined) {
    key = m.key;
    beat();
  }
  if (m.stop) {
    clearInterval(timer);
    store?.close();
    store = undefined;
    self.postMessage({ stopped: true });
    self.close();
  }
};

function beat(): void {
  if (!store || key === null) return;
  try {
    if (!store.renew(key)) self.postMessage({ lost: key });
  } catch (e) {
    // A busy store skips a beat; the lease outlasts several.
    self.postMessage({ error: e instanceof Error ? e.message.split("\n")[0] : String(e) });
  }
}
