import assert from "node:assert/strict";
import { ConfigError } from "./check.ts";
import { parseTunePresets } from "./presets.ts";
import { parseTuneSpace } from "./search.ts";

Deno.test("parseTunePresets: named points of the tune space, each value checked against its axis", () => {
  const FILE_M = "m.yaml";
  const axes = parseTuneSpace(
    { "settings.lr": { log: [1e-4, 1e-2] }, "cp,cn": [[5, 20], [10, 40]], pool: ["a", "b"] },
    FILE_M,
    "m2vae",
  );
  assert.deepEqual(
    parseTunePresets(
      { content: { pool: "b", "settings.lr": 0.001 }, paired: { "cp,cn": [10, 40] } },
      axes,
      FILE_M,
    ),
    [
      { name: "content", point: { pool: ["b"], "settings.lr": [0.001] } },
      { name: "paired", point: { "cp,cn": [10, 40] } },
    ],
  );
  assert.deepEqual(parseTunePresets(undefined, axes, FILE_M), []);
  const at = (raw: unknown, path: string, detail: RegExp, ax = axes) =>
    assert.throws(() => parseTunePresets(raw, ax, FILE_M), (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.equal(e.path, path);
      assert.ok(e.message.startsWith(`${FILE_M}:`), e.message);
      assert.match(e.message, detail);
      return true;
    });
  at({ x: { pool: "c" } }, "presets.x.pool", /"c" is not one of the axis's values \("a", "b"\)/);
  at({ x: { "settings.lr": 0.5 } }, "presets.x.settings.lr", /outside the axis's range log/);
  at({ x: { "cp,cn": [5, 40] } }, "presets.x.cp,cn", /not one of/);
  at({ x: { pol: "a" } }, "presets.x.pol", /not an axis of the tune: space \(did you mean "pool"/);
  at({ x: {} }, "presets.x", /sets no axis/);
  at(
    { x: { pool: "a", "settings.lr": 0.001 }, y: { "settings.lr": 0.001, pool: "a" } },
    "presets.y",
    /the same configuration as presets\.x/,
  );
  at({ "1x": { pool: "a" } }, "presets.1x", /expected a name/);
  at(["a"], "presets", /expected a mapping/);
  at({ x: { pool: "a" } }, "presets", /need a tune: space/, []);
});
