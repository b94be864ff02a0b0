/**
 * The heartbeat's thread (a Web Worker, see `heartbeat.ts`): renews the lease of the trial its
 * process runs every few seconds through a store connection of its own, so a training epoch that
 * holds the main thread for minutes does not let the lease expire. Messages: `{ open: { path,
 * leaseSeconds, worker, everySeconds } }` once (answered `{ ready: true }`, or `{ failed }` with
 * the reason the store did not open), then `{ key }` (a key, or null between trials), then
 * `{ stop: true }`. A PostgreSQL store gets a client of its own here.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { redactStoreUrls, ResultStore } from "../store/mod.ts";

/** The one line of an error, any store URL in it without its password. */
const lineOf = (e: unknown): string =>
  redactStoreUrls(e instanceof Error ? e.message.split("\n")[0] : String(e));

let store: ResultStore | undefined;
let key: string | null = null;
let timer: ReturnType<typeof setInterval> | undefined;
let beating = false;
/** Messages are handled one at a time, in order (opening the store is asynchronous). */
let queue: Promise<void> = Promise.resolve();

interface Message {
  open?: { path: string; leaseSeconds: number; worker: string; everySeconds: number };
  key?: string | null;
  stop?: boolean;
}

self.onmessage = (e: MessageEvent) => {
  queue = queue.then(() => handle(e.data as Message)).catch((err) => {
    self.postMessage({ error: lineOf(err) });
  });
};

async function handle(m: Message): Promise<void> {
  if (m.open) {
    // Its own connection: an SQLite handle, or a PostgreSQL client of its own.
    try {
      store = await ResultStore.open(m.open.path, {
        mustExist: true,
        leaseSeconds: m.open.leaseSeconds,
        worker: m.open.worker,
      });
    } catch (e) {
      self.postMessage({ failed: lineOf(e) });
      return;
    }
    timer = setInterval(beat, m.open.everySeconds * 1000);
    self.postMessage({ ready: true });
  }
  if (m.key !== undefined) {
    key = m.key;
    await beat();
  }
  if (m.stop) {
    clearInterval(timer);
    const s = store;
    store = undefined;
    await s?.close();
    self.postMessage({ stopped: true });
    self.close();
  }
}

async function beat(): Promise<void> {
  // One renewal at a time: a slow store skips the beats that would overlap it.
  if (!store || key === null || beating) return;
  beating = true;
  const held = key;
  try {
    if (!(await store.renew(held))) self.postMessage({ lost: held });
  } catch (e) {
    // A busy store skips a beat; the lease outlasts several.
    self.postMessage({ error: lineOf(e) });
  } finally {
    beating = false;
  }
}
