/**
 * Sparse user–item graph utilities for the graph baselines (MVGAE, MVDGAE). The graph is built
 * from `split.train` ONLY (cold items have no edges), kept as CSR in plain JS, and propagated
 * with gather + segment-sum on the backend — never a dense N×N adjacency.
 *
 * Node ids of {@linkcode userItemGraph}: users `0 … numUsers−1`, then the given items (usually
 * the warm items) at `numUsers + k`. A node without edges aggregates only itself.
 *
 * Propagation runs over {@linkcode Block}s (message-flow blocks as in DGL): a block maps its
 * source nodes to its destination nodes, which are the first `numDst` source nodes. The full
 * graph is one block whose sources and destinations are all nodes; a mini-batch uses one
 * sampled block per hop around the batch's nodes ({@linkcode sampleBlocks}).
 *
 * @module
 */
import type { Rng } from "../../rng/mod.ts";
import { gatherRows, tf } from "../../tf/mod.ts";
import { scatterRows } from "../../nn/ops.ts";
import { type EdgeCsr, edgeCsr, messageSum } from "../../nn/csr.ts";
import type { Adjacency, InteractionIndex } from "../../train/interaction_index.ts";

/** The symmetric user–item graph as one node-level CSR adjacency. */
export interface NodeGraph {
  numUsers: number;
  /** Dataset item id of item node `numUsers + k`. */
  items: Int32Array;
  numNodes: number;
  /** Neighbour node ids of every node. */
  adj: Adjacency;
}

/** The user–item graph of `index` restricted to `items` (users first, then `items`). */
export function userItemGraph(index: InteractionIndex, items: Int32Array): NodeGraph {
  const nu = index.numUsers, numNodes = nu + items.length;
  const nodeOf = new Int32Array(index.numItems).fill(-1);
  items.forEach((it, k) => nodeOf[it] = nu + k);
  const deg = new Int32Array(numNodes);
  for (let u = 0; u < nu; u++) {
    for (let j = index.byUser.offsets[u]; j < index.byUser.offsets[u + 1]; j++) {
      const v = nodeOf[index.byUser.values[j]];
      if (v >= 0) {
        deg[u]++;
        deg[v]++;
      }
    }
  }
  const offsets = new Int32Array(numNodes + 1);
  for (let v = 0; v < numNodes; v++) offsets[v + 1] = offsets[v] + deg[v];
  const fill = offsets.slice(0, numNodes), values = new Int32Array(offsets[numNodes]);
  for (let u = 0; u < nu; u++) {
    for (let j = index.byUser.offsets[u]; j < index.byUser.offsets[u + 1]; j++) {
      const v = nodeOf[index.byUser.values[j]];
      if (v >= 0) {
        values[fill[u]++] = v;
        values[fill[v]++] = u;
      }
    }
  }
  return { numUsers: nu, items, numNodes, adj: { offsets, values } };
}

/** One propagation hop: sources (dst nodes first), messages, and the mean's scale. */
export interface Block {
  /** Node ids of the sources; the first `numDst` of them are the destinations. */
  src: Int32Array;
  numDst: number;
  /** Per message: local source index and local destination index. */
  edgeSrc: Int32Array;
  edgeDst: Int32Array;
  /** 1 / (messages + 1) per destination: the mean over the neighbours and the node itself. */
  scale: Float32Array;
}

/** The whole graph as one block (sources = destinations = all nodes). */
export function fullBlock(g: NodeGraph): Block {
  const src = new Int32Array(g.numNodes).map((_, v) => v);
  const { offsets, values } = g.adj;
  const edgeDst = new Int32Array(values.length), scale = new Float32Array(g.numNodes);
  for (let v = 0; v < g.numNodes; v++) {
    edgeDst.fill(v, offsets[v], offsets[v + 1]);
    scale[v] = 1 / (offsets[v + 1] - offsets[v] + 1);
  }
  return { src, numDst: g.numNodes, edgeSrc: values, edgeDst, scale };
}

/** A block whose destinations are `nodes` and which has no messages (each keeps itself). */
export function isolatedBlock(nodes: Int32Array): Block {
  const none = new Int32Array(0);
  return {
    src: nodes,
    numDst: nodes.length,
    edgeSrc: none,
    edgeDst: none,
    scale: new Float32Array(nodes.length).fill(1),
  };
}

/**
 * `hops` blocks around the distinct `seeds`, outermost first (the last block's destinations
 * are `seeds`, in order). Each destination keeps at most `cap` neighbours, drawn without
 * replacement from `rng` (GraphSAGE-style fan-out); `cap = 0` keeps every neighbour.
 */
export function sampleBlocks(
  g: NodeGraph,
  seeds: Int32Array,
  hops: number,
  cap: number,
  rng: Rng,
): Block[] {
  const local = new Int32Array(g.numNodes).fill(-1);
  const blocks: Block[] = [];
  let dst = seeds;
  for (let h = 0; h < hops; h++) {
    const nl = neighbourLists(g.adj, dst, cap, rng);
    const src: number[] = Array.from(dst);
    dst.forEach((v, k) => local[v] = k);
    const edgeSrc = nl.neighbours.map((n) => {
      if (local[n] < 0) {
        local[n] = src.length;
        src.push(n);
      }
      return local[n];
    });
    for (const v of src) local[v] = -1;
    const block = {
      src: Int32Array.from(src),
      numDst: dst.length,
      edgeSrc,
      edgeDst: nl.segment,
      scale: Float32Array.from(nl.counts, (c) => 1 / (c + 1)),
    };
    blocks.unshift(block);
    dst = block.src;
  }
  return blocks;
}

/** The neighbour lists of some nodes, flattened: `segment[k]` is the owner's position. */
export interface NeighbourLists {
  /** Neighbour ids, concatenated. */
  neighbours: Int32Array;
  /** Position (in the queried list) of each neighbour's owner. */
  segment: Int32Array;
  /** Neighbours kept per queried node (0: the node has no edge). */
  counts: Int32Array;
}

/**
 * Neighbours of each of `nodes` in `adj` (e.g. an `InteractionIndex`'s `byUser` / `byItem`).
 * With `cap > 0`, a node with more than `cap` neighbours keeps `cap` of them drawn without
 * replacement from `rng`; `cap = 0` keeps all of them.
 */
export function neighbourLists(
  adj: Adjacency,
  nodes: Int32Array,
  cap = 0,
  rng?: Rng,
): NeighbourLists {
  const counts = new Int32Array(nodes.length);
  let total = 0;
  nodes.forEach((v, p) => {
    const d = adj.offsets[v + 1] - adj.offsets[v];
    counts[p] = cap > 0 && d > cap ? cap : d;
    total += counts[p];
  });
  const neighbours = new Int32Array(total), segment = new Int32Array(total);
  let k = 0;
  nodes.forEach((v, p) => {
    const lo = adj.offsets[v], d = adj.offsets[v + 1] - lo;
    if (counts[p] === d) {
      neighbours.set(adj.values.subarray(lo, lo + d), k);
    } else {
      if (!rng) throw new RangeError("neighbourLists: a capped list needs an rng");
      const pool = adj.values.slice(lo, lo + d); // partial Fisher–Yates on a copy
      for (let j = 0; j < counts[p]; j++) {
        const r = j + rng.int(d - j), t = pool[j];
        pool[j] = pool[r];
        pool[r] = t;
      }
      neighbours.set(pool.subarray(0, counts[p]), k);
    }
    segment.fill(p, k, k + counts[p]);
    k += counts[p];
  });
  return { neighbours, segment, counts };
}

/** A {@linkcode Block}'s index tensors on the backend (the caller disposes them). */
export class BlockTensors {
  readonly numDst: number;
  readonly numSrc: number;
  readonly edgeSrc: tf.Tensor1D;
  readonly edgeDst: tf.Tensor1D;
  readonly scale: tf.Tensor2D;
  /** The messages by destination (forward sums) and by source (their gradient), in JS. */
  readonly byDst: EdgeCsr;
  readonly bySrc: EdgeCsr;

  /** Uploads the index arrays of `b`, kept out of any enclosing `tf.tidy` scope. */
  constructor(b: Block) {
    this.numDst = b.numDst;
    this.numSrc = b.src.length;
    this.byDst = edgeCsr(b.edgeDst, b.edgeSrc, b.numDst);
    this.bySrc = edgeCsr(b.edgeSrc, b.edgeDst, b.src.length);
    this.edgeSrc = tf.keep(tf.tensor1d(b.edgeSrc, "int32"));
    this.edgeDst = tf.keep(tf.tensor1d(b.edgeDst, "int32"));
    this.scale = tf.keep(tf.tensor2d(b.scale, [b.numDst, 1]));
  }

  /** Releases the tensors. */
  dispose(): void {
    tf.dispose([this.edgeSrc, this.edgeDst, this.scale]);
  }
}

/**
 * `out[v] = Σ_{u→v} x[u]` over a block's messages, `[numDst, d]`: what
 * `scatterRows(gatherRows(x, edgeSrc), edgeDst, numDst)` computes, with the same additions in
 * the same order (so the same floats), in one pass over the messages without the
 * `[messages, d]` intermediate; its gradient is the same sum over the reversed messages.
 */
export function neighbourSum(x: tf.Tensor2D, b: BlockTensors): tf.Tensor2D {
  return messageSum(x, b);
}

/** `scatterRows` (lib/nn): a segment sum whose gradient is a plain row gather. */
export { scatterRows };

/**
 * Mean aggregation with self loops over a block: for destination v,
 * `out[v] = (x[v] + Σ_{u→v} x[u]) / (messages(v) + 1)`, as PyG's `MessagePassing(aggr="mean")`
 * after `add_self_loops`. `x` holds the block's source rows. Linear in `x`, so it commutes with
 * a right matrix product.
 */
export function propagate(x: tf.Tensor2D, b: BlockTensors): tf.Tensor2D {
  return tf.tidy(() => {
    const self = b.numDst === b.numSrc ? x : tf.slice(x, [0, 0], [b.numDst, -1]);
    if (b.edgeSrc.size === 0) return tf.mul(self, b.scale) as tf.Tensor2D;
    return tf.mul(tf.add(neighbourSum(x, b), self), b.scale) as tf.Tensor2D;
  });
}

/**
 * Softmax of per-message scores `[E, 1]` within each destination (GAT-style neighbour
 * attention). Scores are clipped to ±`clip` before `exp` (there is no segment max on the
 * backend) so weights stay finite; a destination without messages gets no weights.
 */
export function segmentSoftmax(
  scores: tf.Tensor2D,
  segment: tf.Tensor1D,
  numSegments: number,
  clip = 20,
): tf.Tensor2D {
  return tf.tidy(() => {
    const e = tf.exp(tf.clipByValue(scores, -clip, clip)) as tf.Tensor2D;
    const den = scatterRows(e, segment, numSegments);
    return tf.div(e, gatherRows(den, segment)) as tf.Tensor2D;
  });
}
