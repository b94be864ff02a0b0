/**
 * What a trained model hands to the evaluators: a way to score blocks of (user, item) pairs.
 *
 * @module
 */

/**
 * Scores (user, item) pairs in blocks. Evaluators call it with bounded block sizes, so a model
 * never has to materialise all users × all items at once.
 */
export interface Scorer {
  /**
   * Returns row-major scores of shape `[users.length, items.length]`; higher means more likely.
   * Items passed here are cold items: a scorer must not use a learned ID embedding for them.
   */
  score(users: Int32Array, items: Int32Array): Promise<Float32Array>;
}
