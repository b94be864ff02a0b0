/**
 * Seeded randomness: every random choice in the toolkit draws from an explicit `Rng`.
 *
 * @module
 */
export { hashLabel, Rng, type RngState } from "./seeded.ts";
