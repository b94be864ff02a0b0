import assert from "node:assert/strict";
import { rebuiltNote } from "./from_store.ts";

Deno.test("the caption names rows rebuilt without public code, and only those", () => {
  const note = rebuiltNote(["clcrec", "vmose", "mvdgae", "unknown-plugin"]);
  assert.match(note, /^Rebuilt without public code/);
  assert.match(note, /VMoSE \(from the M2VAE paper's two-sentence description/);
  assert.match(note, /MVDGAE \(from its paper's description\)/);
  assert.doesNotMatch(note, /CLCRec/);
  assert.equal(rebuiltNote(["clcrec", "gorec", "m2vae"]), "");
});
