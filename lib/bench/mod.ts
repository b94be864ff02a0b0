/**
 * Benchmarks whose figures the CLI prints.
 *
 * @module
 */
export { type BenchFigure, medianMs, runtimeBenchmarks } from "./runtime.ts";
