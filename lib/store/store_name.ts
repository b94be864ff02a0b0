/**
 * A result store as messages and logs name it: a `postgres://` URL without its password (the
 * URL's `user:password@` and a `password=` parameter both become `***`), a file path as given.
 * Every message that names a store goes through {@linkcode shownStore}, and the command line's
 * error lines through {@linkcode redactStoreUrls}, so a password in `--store` or `M2VAE_STORE`
 * never reaches a terminal or a log.
 *
 * @example Usage
 * ```ts
 * import { redactStoreUrls, shownStore } from "./store_name.ts";
 *
 * shownStore("postgres://me:s3cret@db.lab:5432/m2vae"); // "postgres://me:***@db.lab:5432/m2vae"
 * shownStore("results/store.sqlite"); // "results/store.sqlite"
 * redactStoreUrls("cannot reach postgres://me:s3cret@db.lab/m2vae"); // "… postgres://me:***@db.lab/m2vae"
 * ```
 *
 * @module
 */

const URL_START = /^postgres(?:ql)?:\/\//i;

/**
 * The store as messages name it: for a `postgres://` (or `postgresql://`) URL, the password of
 * its user (up to the last `@`, so a password holding `@`, `:` or `/` is hidden whole) and any
 * `password=` / `sslpassword=` parameter replaced by `***`; anything else unchanged.
 */
export function shownStore(store: string): string {
  const scheme = URL_START.exec(store)?.[0];
  if (scheme === undefined) return store;
  let rest = store.slice(scheme.length);
  const at = rest.lastIndexOf("@");
  const colon = at < 0 ? -1 : rest.slice(0, at).indexOf(":");
  if (colon >= 0) rest = `${rest.slice(0, colon)}:***${rest.slice(at)}`;
  rest = rest.replace(/([?&](?:ssl)?password=)[^&#]*/gi, "$1***");
  return scheme + rest;
}

/** `text` with every `postgres://` URL in it shown as {@linkcode shownStore} shows it. */
export function redactStoreUrls(text: string): string {
  return text.replace(/postgres(?:ql)?:\/\/\S+/gi, (url) => shownStore(url));
}

/**
 * `--store <store>` for a command a message suggests: the store as {@linkcode shownStore} shows
 * it, and where that hid a password, a note that the reader must put it back (pasted as shown,
 * `***` would be sent as the password).
 *
 * @example Usage
 * ```ts
 * import { storeOption } from "./store_name.ts";
 *
 * storeOption("results/a.sqlite"); // "--store results/a.sqlite"
 * storeOption("postgres://me:pw@db/m2vae"); // "--store postgres://me:***@db/m2vae (password hidden: …)"
 * ```
 */
export function storeOption(store: string): string {
  const shown = shownStore(store);
  return shown === store
    ? `--store ${shown}`
    : `--store ${shown} (password hidden: put yours in place of ***)`;
}
