import assert from "node:assert/strict";
import { join } from "node:path";
import { coldItemSplit } from "../split/mod.ts";
import { RUN_DEFAULTS } from "../train/settings.ts";
import { loadRealSet } from "./real_set.ts";

Deno.test("loadRealSet: loads the entry, times the loader and splits with the given rule", async () => {
  const settings = { ...RUN_DEFAULTS, userChunk: 77 };
  let seenSettings: unknown;
  const set = await loadRealSet(
    "tiny",
    { spec: { kind: "synthetic", users: 60, items: 40 }, settings },
    (ds, s) => {
      seenSettings = s;
      return coldItemSplit(ds, { seed: 0 });
    },
  );
  assert.ok(set);
  assert.equal(set.name, "tiny");
  assert.equal(set.ds.userIds.length, 60);
  assert.equal(set.settings, settings);
  assert.equal(seenSettings, settings);
  assert.ok(set.split.validItems.length > 0);
  assert.ok(set.loadSeconds >= 0);
});

Deno.test("loadRealSet: an entry whose folder is absent is not loaded", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const set = await loadRealSet(
      "lastfm-2k-multimodal",
      { spec: { kind: "lastfm-2k-multimodal", path: join(dir, "nosuch") }, settings: RUN_DEFAULTS },
      () => {
        throw new Error("not split");
      },
    );
    assert.equal(set, undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
