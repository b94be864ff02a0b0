import assert from "node:assert/strict";
import { checkConfig, ConfigError, didYouMean } from "./check.ts";

const defaults = { lr: 0.001, epochs: 10, protocol: "item2user" };

Deno.test("checkConfig overlays known keys and keeps defaults", () => {
  assert.deepEqual(checkConfig(defaults, { lr: 0.01 }, "x.yaml", "settings"), {
    ...defaults,
    lr: 0.01,
  });
  assert.deepEqual(checkConfig(defaults, undefined, "x.yaml", "settings"), defaults);
});

Deno.test("checkConfig names the file and key path of an unknown key, with a did-you-mean", () => {
  assert.throws(
    () => checkConfig(defaults, { epoch: 3 }, "exp.yaml", "settings"),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.message.startsWith('exp.yaml: key "settings.epoch": unknown key') &&
      e.message.includes('did you mean "epochs"?'),
  );
});

Deno.test("checkConfig rejects wrong types and non-finite numbers", () => {
  assert.throws(
    () => checkConfig(defaults, { lr: "fast" }, "a.yaml", "s"),
    /key "s.lr": expected a number/,
  );
  assert.throws(() => checkConfig(defaults, { lr: Infinity }, "a.yaml", "s"), /expected a number/);
  assert.throws(() => checkConfig(defaults, [1], "a.yaml", "s"), /expected a mapping/);
});

Deno.test("didYouMean finds close keys only", () => {
  assert.equal(didYouMean("batchsize", ["batchSize", "lr"]), "batchSize");
  assert.equal(didYouMean("zzzzzz", ["batchSize", "lr"]), undefined);
});
