import assert from "node:assert/strict";
import type { TrialStatus } from "../store/mod.ts";
import type { TrialSpec } from "../store/trial_spec.ts";
import { missingNote, rebuiltNote } from "./captions.ts";
import { byCatalogOrder } from "./from_store.ts";
import type { Selection } from "./select.ts";

Deno.test("the caption names rows rebuilt without public code, and only those", () => {
  const note = rebuiltNote(["clcrec", "vmose", "mvdgae", "unknown-plugin"]);
  assert.match(note, /^Rebuilt without public code/);
  assert.match(note, /VMoSE \(from the M2VAE paper's two-sentence description/);
  assert.match(note, /MVDGAE \(from its paper\)/);
  assert.doesNotMatch(note, /CLCRec/);
  assert.equal(rebuiltNote(["clcrec", "gorec", "m2vae"]), "");
});

Deno.test("a report made while the experiment runs says what is missing, and nothing once done", () => {
  const t = (label: string, status: TrialStatus, role = "result") => ({
    status,
    role,
    spec: { dataset: "d", label } as TrialSpec,
  });
  const entries = [{ dataset: "d", label: "GoRec" }, { dataset: "d", label: "M2VAE" }];
  assert.equal(
    missingNote(
      [t("GoRec", "done"), t("GoRec", "running"), t("Pop", "pending"), t("M2VAE", "done", "tune")],
      entries,
    ),
    "Incomplete: 2 of 3 reported trials not finished (1 running, 1 pending); still tuning, " +
      "not in the table: M2VAE (d).",
  );
  assert.equal(missingNote([t("GoRec", "done"), t("M2VAE", "done")], entries), "");
});

Deno.test("Table 3 rows follow the registry's model order, not the order they ran in", () => {
  const sel = (model: string, label = model) => ({ model, label }) as Selection;
  const ran = [
    sel("mvgae"),
    sel("my-plugin"),
    sel("m2vae"),
    sel("m2vae", "M2VAE paper"),
    sel("random"),
    sel("clcrec"),
    sel("popularity"),
  ];
  assert.deepEqual(byCatalogOrder(ran).map((s) => s.label), [
    "random",
    "popularity",
    "clcrec",
    "mvgae",
    "m2vae",
    "M2VAE paper",
    "my-plugin",
  ]);
});
