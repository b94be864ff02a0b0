/**
 * The engine settings and their built-in defaults, which `configs/base.yaml` and experiments
 * layer over. They live with the training engine that reads them (`lib/train/settings.ts`).
 *
 * @module
 */
export { RUN_DEFAULTS, type RunSettings } from "../train/settings.ts";
