import assert from "node:assert/strict";
import { RUN_DEFAULTS } from "./train_defaults.ts";
import { SETTING_FIELDS, settingsProblem } from "./settings_schema.ts";

Deno.test("settings schema: one rule per default, and the defaults pass as a whole", () => {
  assert.deepEqual(Object.keys(SETTING_FIELDS), Object.keys(RUN_DEFAULTS));
  assert.equal(settingsProblem(RUN_DEFAULTS, true), undefined);
  assert.equal(settingsProblem({}), undefined);
});

Deno.test("settings schema: types, bounds and values, each one line naming the key", () => {
  const cases: [Record<string, unknown>, string, string][] = [
    [{ epochs: 1e308 }, "epochs", "at most 100,000 allowed, got 1e+308"],
    [{ batchSize: 64.5 }, "batchSize", "expected a positive integer, got 64.5"],
    [{ maxSteps: -1 }, "maxSteps", "expected an integer ≥ 0, got -1"],
    [{ lr: "fast" }, "lr", 'expected a positive number, got "fast"'],
    [{ lr: 0 }, "lr", "expected a positive number, got 0"],
    [{ splitTest: 1 }, "splitTest", "expected a fraction in (0, 1), got 1"],
    [{ protocol: "item2item" }, "protocol", 'expected "item2user" or "user2item", got "item2item"'],
    [{ selectMetric: "ndcg" }, "selectMetric", 'expected e.g. NDCG@10, got "ndcg"'],
    [{ decoupledWeightDecay: 1 }, "decoupledWeightDecay", "expected a boolean, got 1"],
  ];
  for (const [values, path, detail] of cases) {
    assert.deepEqual(settingsProblem(values), { path, detail }, JSON.stringify(values));
  }
  assert.match(
    settingsProblem({ epoch: 3 })!.detail,
    /^unknown key \(did you mean "epochs"\?\); known keys: protocol, epochs,/,
  );
  assert.deepEqual(settingsProblem([1]), { path: "", detail: "expected a mapping, got [1]" });
});

Deno.test("settings schema: the rules across keys hold for complete settings only", () => {
  const split = { ...RUN_DEFAULTS, splitTrain: 0.9 };
  assert.equal(settingsProblem({ splitTrain: 0.9 }), undefined);
  assert.match(settingsProblem(split, true)!.detail, /= 1\.2; the three item fractions must sum/);
  const metric = { ...RUN_DEFAULTS, selectMetric: "Recall@10" };
  assert.equal(settingsProblem(metric, true)!.path, "selectMetric");
  assert.equal(
    settingsProblem({ ...metric, protocol: "user2item" }, true),
    undefined,
  );
});
