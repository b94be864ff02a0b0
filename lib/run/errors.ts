/**
 * The error of an option used wrongly: a command-line flag, or the matching field of a library
 * call such as {@linkcode runExperiment}'s options. The command line prints its message as one
 * line and exits 1.
 *
 * @module
 */

/**
 * A command or a library call used wrongly (an unknown name, a missing or malformed option).
 *
 * @example Usage
 * ```ts
 * throw new UsageError(`--backend: expected "wasm" or "cpu", got "gpu"`);
 * ```
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
