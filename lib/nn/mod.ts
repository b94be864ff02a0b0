/**
 * Parameters, initialisers and optimizers: dense `tf.Variable`s trained with Adam, and large
 * embedding tables kept in JS and trained row-sparsely (lazy Adam on the rows a step touches).
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
