/**
 * Pretrained warm embeddings for the baselines that start from a warm recommender (DropoutNet,
 * LARA, GAR, CVAR, GoRec): BPR-MF (Rendle et al., UAI 2009) trained on the split's training
 * interactions only, so a cold item's row is never trained and stays exactly zero.
 *
 * The result is cached per (split fingerprint, seed, options): in memory for the process and,
 * when the model context names a cache folder, on disk as one float32 file written atomically
 * (temporary file + rename), so a user never runs a separate pretraining script and a sweep
 * pretrains once per split and seed. Pretraining reports its progress like training does when
 * the caller asks for it ({@linkcode withPretrainProgress}; a trial run does), since it takes a
 * while on real data before the first training step.
 *
 * @module
 */
import { join } from "node:path";
import { Optimizer, ParamSet } from "../../nn/mod.ts";
import { Rng } from "../../rng/mod.ts";
import type { ColdSplit } from "../../split/types.ts";
import { tf } from "../../tf/mod.ts";
import { buildInteractionIndex } from "../../train/interaction_index.ts";
import { splitBatches } from "../../train/sampler.ts";
import { progressBar, type ProgressOptions } from "../../train/progress.ts";

/** BPR-MF pretraining settings. */
export interface WarmEmbeddingOptions {
  /** Embedding size (64, ColdRec's default for every pretrained baseline). */
  dim: number;
  /** Passes over the training interactions. */
  epochs: number;
  /** Adam learning rate (lazy Adam on both tables). */
  lr: number;
  batchSize: number;
  /** L2 weight on the rows a step touches, per row (ColdRec's reg 1e-4 scale). */
  reg: number;
}

/** The defaults of {@linkcode warmEmbeddings}. */
export const WARM_DEFAULTS: WarmEmbeddingOptions = {
  dim: 64,
  epochs: 30,
  lr: 5e-3,
  batchSize: 2048,
  reg: 1e-4,
};

/** Pretrained user and item embeddings; rows of items outside `split.trainItems` are zero. */
export interface WarmEmbeddings {
  dim: number;
  /** numUsers × dim, row-major. */
  users: Float32Array;
  /** numItems × dim, row-major; cold rows are exactly 0. */
  items: Float32Array;
  /** Cache key: split fingerprint, seed and options. */
  key: string;
}

const memory = new Map<string, WarmEmbeddings>();

/** How pretraining reports progress: a label and the progress bar's options. */
export type PretrainProgress = Pick<
  ProgressOptions,
  "label" | "silent" | "logEvery" | "write" | "tty"
>;

let progress: PretrainProgress | undefined;

/**
 * Runs `fn` (synchronous: building a model) with BPR-MF pretraining reporting its progress as
 * `opts` says: a bar labelled `<label> BPR-MF pretraining`. Outside it pretraining is silent.
 *
 * @example
 * ```ts
 * const model = withPretrainProgress({ label: "lastfm GAR seed 1" }, () => spec.create(cfg, ctx));
 * ```
 */
export function withPretrainProgress<T>(opts: PretrainProgress, fn: () => T): T {
  const before = progress;
  progress = opts;
  try {
    return fn();
  } finally {
    progress = before;
  }
}

function cacheKey(split: ColdSplit, seed: number, o: WarmEmbeddingOptions): string {
  return `bprmf-${split.fingerprint}-s${seed}-d${o.dim}-e${o.epochs}-lr${o.lr}-b${o.batchSize}-r${o.reg}`;
}

/** Trains BPR-MF on `split.train` from `seed`; no caching. */
export function trainBprMf(
  split: ColdSplit,
  seed: number,
  o: WarmEmbeddingOptions,
): WarmEmbeddings {
  const rng = new Rng(seed).fork("warm-bprmf");
  const params = new ParamSet();
  const users = params.embedding("user", split.numUsers, o.dim, { normal: 0.1 }, rng);
  const items = params.embedding("item", split.numItems, o.dim, { normal: 0.1 }, rng);
  const warm = new Uint8Array(split.numItems);
  for (const i of split.trainItems) warm[i] = 1;
  for (let i = 0; i < split.numItems; i++) {
    if (!warm[i]) items.data.fill(0, i * o.dim, (i + 1) * o.dim);
  }
  const opt = new Optimizer(params, { lr: o.lr });
  const index = buildInteractionIndex(split.train, split.numUsers, split.numItems);
  const sampleRng = rng.fork("sampler");
  const perEpoch = Math.ceil(split.train.users.length / o.batchSize);
  const bar = progressBar({
    ...progress,
    label: `${progress?.label ?? "warm"} BPR-MF pretraining`,
    silent: progress === undefined || progress.silent,
    total: perEpoch * o.epochs,
  });
  let done = 0;
  try {
    for (let e = 0; e < o.epochs; e++) {
      const needs = { negUsers: false, cp: 0, cn: 1 };
      for (const b of splitBatches(split, index, o.batchSize, needs, sampleRng)) {
        bar.update(done++, `epoch ${e + 1}/${o.epochs}`);
        opt.step(
          [{ table: users, ids: b.users }, { table: items, ids: b.items }, {
            table: items,
            ids: b.negItems,
          }],
          ([u, p, n]) => {
            const x = tf.sum(tf.mul(u, tf.sub(p, n)), 1);
            const bpr = tf.mean(tf.softplus(tf.neg(x))) as tf.Scalar; // −log σ(x)
            const l2 = tf.div(
              tf.addN([tf.sum(tf.square(u)), tf.sum(tf.square(p)), tf.sum(tf.square(n))]),
              b.users.length,
            );
            return { loss: tf.add(bpr, tf.mul(o.reg, l2)) as tf.Scalar, terms: { bpr } };
          },
        );
      }
    }
    bar.update(done, `epoch ${o.epochs}/${o.epochs}`);
  } finally {
    bar.done();
    opt.dispose();
  }
  const out = {
    dim: o.dim,
    users: users.data.slice(),
    items: items.data.slice(),
    key: cacheKey(split, seed, o),
  };
  params.dispose();
  return out;
}

function readCache(path: string, split: ColdSplit, dim: number): Float32Array | undefined {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch {
    return undefined;
  }
  const n = (split.numUsers + split.numItems) * dim;
  if (bytes.byteLength !== n * 4) return undefined; // stale or foreign file: retrain
  return new Float32Array(bytes.buffer, bytes.byteOffset, n).slice();
}

/**
 * BPR-MF warm embeddings of `split` for `seed`, from the caches when present.
 *
 * @param cacheDir folder for the on-disk cache (`<cacheDir>/warm/<key>.f32`); none = memory only
 */
export function warmEmbeddings(
  split: ColdSplit,
  seed = 0,
  options: Partial<WarmEmbeddingOptions> = {},
  cacheDir?: string,
): WarmEmbeddings {
  const o = { ...WARM_DEFAULTS, ...options };
  const key = cacheKey(split, seed, o);
  const hit = memory.get(key);
  if (hit) return hit;
  const path = cacheDir ? join(cacheDir, "warm", `${key}.f32`) : undefined;
  const cached = path ? readCache(path, split, o.dim) : undefined;
  let emb: WarmEmbeddings;
  if (cached) {
    const cut = split.numUsers * o.dim;
    emb = { dim: o.dim, users: cached.slice(0, cut), items: cached.slice(cut), key };
  } else {
    emb = trainBprMf(split, seed, o);
    if (path) {
      Deno.mkdirSync(join(cacheDir!, "warm"), { recursive: true });
      const all = new Float32Array(emb.users.length + emb.items.length);
      all.set(emb.users);
      all.set(emb.items, emb.users.length);
      const tmp = `${path}.${Deno.pid}.tmp`;
      Deno.writeFileSync(tmp, new Uint8Array(all.buffer));
      Deno.renameSync(tmp, path);
    }
  }
  memory.set(key, emb);
  return emb;
}
