import assert from "node:assert/strict";
import { ConfigError } from "./check.ts";
import { attributeToOverride, checkOverrides, overrideKey } from "./overrides.ts";

Deno.test("overrideKey: the key path before '=', or one line naming --set", () => {
  assert.equal(overrideKey("settings.epochs=3"), "settings.epochs");
  assert.equal(overrideKey("models={a: {}}"), "models");
  assert.throws(
    () => overrideKey("epochs"),
    /^ConfigError: --set: key "epochs": expected key\.path=value$/,
  );
  assert.throws(() => overrideKey("=3"), ConfigError);
});

Deno.test('overrideKey: a key path with an empty part is refused, not written under ""', () => {
  for (const o of ["settings..epochs=3", ".lr=0.1", "settings.=3", "settings. .lr=1"]) {
    assert.throws(
      () => overrideKey(o),
      (e: Error) =>
        e instanceof ConfigError &&
        /^--set: key ".*": key path ".*" has an empty part$/.test(e.message),
      o,
    );
  }
});

Deno.test("checkOverrides: a value that is not YAML names its override and key", () => {
  checkOverrides(["settings.epochs=3", "seeds=[1, 2]"]);
  assert.throws(
    () => checkOverrides(["seeds=[1, 2"]),
    (e: Error) =>
      e instanceof ConfigError && e.message.startsWith('--set seeds=[1, 2: key "seeds": '),
  );
});

Deno.test("attributeToOverride: a problem under an overridden key names the last override that wrote it", () => {
  const e = new ConfigError("exp.yaml", "settings.epochs", "expected a positive integer");
  const moved = attributeToOverride(e, "exp.yaml", ["settings=1", "settings.epochs=x"]);
  assert.ok(moved instanceof ConfigError);
  assert.equal(
    moved.message,
    '--set settings.epochs=x: key "settings.epochs": expected a positive integer',
  );
  // Not under any override, or another file's error: unchanged.
  assert.equal(attributeToOverride(e, "exp.yaml", ["seeds=3"]), e);
  assert.equal(attributeToOverride(e, "other.yaml", ["settings.epochs=x"]), e);
});
