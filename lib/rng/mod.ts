/**
 * Seeded randomness: every random choice in the toolkit draws from an explicit `Rng`.
 *
 * @module
 */
export { hashLabel, Rng } from "./seeded.ts";
