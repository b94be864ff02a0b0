/**
 * A small, fast, seeded pseudo-random generator (sfc32 state, seeded through splitmix32).
 *
 * Every random choice in the toolkit (splits, samplers, initialisers, synthetic data, dropout)
 * draws from an `Rng` that is passed in explicitly, so the same seed gives the same numbers.
 *
 * @module
 */

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t = t ^ (t >>> 15);
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

/** Hashes a string label to a 32-bit integer (FNV-1a), used to derive named sub-streams. */
export function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The saved position of an {@linkcode Rng} and of the generators forked from it. */
export interface RngState {
  /** The four sfc32 words. */
  s: number[];
  /** The cached second normal of Box–Muller, if any. */
  spare: number | null;
  /** The states of forked generators, in fork order. */
  children: RngState[];
}

/**
 * Seeded generator with uniform, integer, normal, shuffle and sampling helpers.
 *
 * @example Usage
 * ```ts
 * const rng = new Rng(42);
 * const x = rng.uniform(); // in [0, 1)
 * const child = rng.fork("sampler"); // an independent, reproducible sub-stream
 * ```
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  #spare: number | null = null;
  /** Generators forked from this one, in fork order (their states belong to this one's). */
  readonly #children: Rng[] = [];
  /** Saved states of children not forked yet (set by `setState`, taken by `fork`). */
  #pending: readonly RngState[] = [];
  /** The seed this generator was created with. */
  readonly seed: number;

  /** @param seed Any finite number; it is reduced to 32 bits. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`Cannot seed generator: seed=${seed}`);
    this.seed = seed;
    const sm = splitmix32(Math.floor(seed) | 0);
    this.#a = sm();
    this.#b = sm();
    this.#c = sm();
    this.#d = sm();
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** Next raw 32-bit unsigned integer (sfc32). */
  nextU32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  uniform(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal sample (Box–Muller, with the spare value cached). */
  normal(): number {
    if (this.#spare !== null) {
      const s = this.#spare;
      this.#spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles an array-like in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(xs: T): T {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = xs[i];
      xs[i] = xs[j];
      xs[j] = t;
    }
    return xs;
  }

  /** A float32 array of `n` normal samples with the given mean and standard deviation. */
  normalArray(n: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /**
   * An independent generator derived from this one's seed and a label (does not advance this
   * one). The child is remembered, so `state()` covers it: a training run that saves its root
   * generator's state saves every stream forked from it.
   */
  fork(label: string): Rng {
    const child = new Rng(
      (hashLabel(label) ^ Math.imul(Math.floor(this.seed) | 0, 0x9e3779b1)) | 0,
    );
    const saved = this.#pending[this.#children.length];
    if (saved) child.setState(saved);
    this.#children.push(child);
    return child;
  }

  /**
   * The position of this generator and of every generator forked from it (recursively), as
   * plain JSON. Restoring it with `setState` on a generator of the same seed continues every
   * stream exactly where it was, including streams that will only be forked later.
   *
   * @example Usage
   * ```ts
   * const a = new Rng(7), x = a.fork("noise");
   * x.uniform();
   * const saved = a.state();
   * const b = new Rng(7);
   * b.setState(saved);
   * b.fork("noise").uniform() === x.uniform(); // true: the child continues too
   * ```
   */
  state(): RngState {
    const children = this.#children.map((c) => c.state());
    for (let i = children.length; i < this.#pending.length; i++) children.push(this.#pending[i]);
    return { s: [this.#a, this.#b, this.#c, this.#d], spare: this.#spare, children };
  }

  /**
   * Moves this generator (and the generators forked from it, matched by fork order) to a saved
   * `state()`. Children not forked yet take their saved state when they are forked.
   *
   * @throws RangeError if the state is malformed.
   */
  setState(st: RngState): void {
    if (!Array.isArray(st?.s) || st.s.length !== 4 || !st.s.every(Number.isInteger)) {
      throw new RangeError("Rng.setState: expected {s: [4 integers], spare, children}");
    }
    [this.#a, this.#b, this.#c, this.#d] = st.s.map((x) => x | 0);
    this.#spare = st.spare ?? null;
    this.#pending = st.children ?? [];
    this.#children.forEach((c, i) => {
      if (this.#pending[i]) c.setState(this.#pending[i]);
    });
  }
}
