/**
 * Rules of the engine settings that their types and signs do not catch: upper bounds on counts
 * (an `epochs: 1e308` passes as an integer and fails, or runs forever, only at trial time), the
 * split ratios as a whole, and the selection metric against the protocol's metrics. Each is a
 * one-line {@linkcode ConfigError} naming the key, raised while the experiment is planned.
 *
 * @module
 */
import { DEFAULT_KS, PROTOCOL_METRICS } from "../eval/protocol.ts";
import { ConfigError } from "./check.ts";
import type { RunSettings } from "./train_defaults.ts";

/** Upper bounds of the count settings: far above any real use, far below an overflow. */
export const SETTING_LIMITS: Readonly<Record<string, number>> = {
  epochs: 100_000,
  batchSize: 1_048_576,
  userChunk: 1_048_576,
  itemChunk: 1_048_576,
  logEvery: 1_000_000_000,
  evalEvery: 1_000_000_000,
  patience: 1_000_000,
  splitSeed: 2 ** 31 - 1,
};

/** Checks `s` against the rules above; throws a ConfigError naming `file` and the key. */
export function checkSettingRules(s: RunSettings, file: string): void {
  for (const [k, max] of Object.entries(SETTING_LIMITS)) {
    if ((s[k] as number) > max) {
      throw new ConfigError(
        file,
        `settings.${k}`,
        `at most ${max.toLocaleString("en-US")} allowed, got ${s[k]}`,
      );
    }
  }
  const ratios = { splitTrain: s.splitTrain, splitValid: s.splitValid, splitTest: s.splitTest };
  for (const [k, r] of Object.entries(ratios)) {
    if (!(r > 0 && r < 1)) {
      throw new ConfigError(file, `settings.${k}`, `expected a fraction in (0, 1), got ${r}`);
    }
  }
  const sum = s.splitTrain + s.splitValid + s.splitTest;
  if (Math.abs(sum - 1) > 1e-6) {
    throw new ConfigError(
      file,
      "settings.splitTrain",
      `splitTrain + splitValid + splitTest = ${s.splitTrain} + ${s.splitValid} + ` +
        `${s.splitTest} = ${Number(sum.toFixed(6))}; the three item fractions must sum to 1`,
    );
  }
  const metrics = PROTOCOL_METRICS[s.protocol as keyof typeof PROTOCOL_METRICS];
  const [name, k] = s.selectMetric.split("@");
  if (metrics && (!metrics.includes(name) || !DEFAULT_KS.includes(Number(k)))) {
    const known = metrics.flatMap((m) => DEFAULT_KS.map((kk) => `${m}@${kk}`)).join(", ");
    throw new ConfigError(
      file,
      "settings.selectMetric",
      `"${s.selectMetric}" is not reported under protocol ${s.protocol}; it reports ${known}`,
    );
  }
}
