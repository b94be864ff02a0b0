/**
 * The building blocks every model uses: parameters, initialisers and optimizers (dense
 * `tf.Variable`s trained with Adam, large embedding tables kept in JS and trained row-sparsely
 * with lazy Adam on the rows a step touches), tensor ops, losses, Gaussian heads and the
 * product of experts, batch normalisation, and the content encoders (attribute bags with mean
 * or attention pooling, standardised modalities, CLCRec's two-layer encoder).
 *
 * @module
 */
export { EmbeddingTable } from "./embedding_table.ts";
export { fans, type Init, initValues } from "./init.ts";
export { type AdamConfig, type Lookup, type LossOutput, Optimizer } from "./optimizer.ts";
export { ParamSet, type ParamSnapshot } from "./params.ts";
export { sparseAdamRows, type SparseAdamStep, type TableMoments } from "./sparse_adam.ts";
export { type OptimizerState } from "./optimizer.ts";
export {
  decodeSafetensors,
  encodeSafetensors,
  type SafetensorsContent,
  type StoredTensor,
} from "./safetensors.ts";
export {
  l2normalize,
  LEAKY_SLOPE,
  linear,
  logSumExpRows,
  type NoiseSource,
  pairMatmulFits,
  pairScores,
  partsLinear,
  repeatEach,
  rngNoise,
  rowDot,
  rowNorm,
  rows,
  rowSum,
  scatterRows,
  setPairMatmulMax,
  softmaxAcross,
  stopGradient,
} from "./ops.ts";
export {
  bceOne,
  bceZero,
  bprFromScores,
  bprUsers,
  coOccurrenceLoss,
  coOccurrenceLosses,
  gateBalance,
  gaussianKl,
  inBatchNce,
  infoNceFirst,
  nceToColumns,
  reconstruction,
  standardKl,
} from "./losses.ts";
export {
  applyHead,
  createHead,
  type Gaussian,
  type GaussianHead,
  gaussianRows,
  LOG_VAR_LIMIT,
  reparameterise,
} from "./gaussian.ts";
export { productOfExperts } from "./poe.ts";
export {
  BatchNorm,
  type BatchNormOptions,
  type BatchNormStats,
  type BatchNormTraining,
  commitBatchNorm,
  TF1_BATCH_NORM,
  TORCH_BATCH_NORM,
} from "./batch_norm.ts";
export { type UniqueIndex, uniqueIndex } from "./unique.ts";
export { type AttributeBag, attributeBag, meanPool } from "./attribute_bag.ts";
export {
  attentionPool,
  type AttributeAttention,
  createAttributeAttention,
} from "./attention_pool.ts";
export {
  contentInput,
  contentInputDim,
  contentParts,
  type ContentTensor,
  contentTensors,
  gatherContent,
  standardise,
} from "./content.ts";
export { ContentEncoder } from "./content_encoder.ts";
export {
  csrSum,
  csrSumReference,
  type EdgeCsr,
  edgeCsr,
  type Messages,
  messages,
  messageSum,
} from "./csr.ts";
export { pairDots, pairDotsReference, setPairDotsPath } from "./pair_dots.ts";
export { pairDotsKernelStatus } from "./kernel/pair_dots.ts";
export { csrSumKernelStatus } from "./kernel/csr_sum.ts";
export { type KernelStatus } from "../tf/kernel/load.ts";
