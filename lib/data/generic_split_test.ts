import assert from "node:assert/strict";
import { loadGeneric, loadGenericWithReport } from "./generic.ts";
import { DataError } from "./errors.ts";
import { providedColdSplit } from "../split/provided.ts";
import { loadExperiment } from "../config/experiment.ts";
import { missingDataPaths, validateExperiment } from "../run/validate.ts";
import { planTrials } from "../run/plan.ts";
import { splitFor } from "../run/split_for.ts";
import { loadDataset } from "./registry.ts";

// Six items: i1..i3 warm, i4 and i5 cold validation, i6 cold test.
const INTER = "user\titem\trating\n" +
  "u1\ti1\t5\nu1\ti2\t4\nu2\ti2\t5\nu2\ti3\t4\nu3\ti1\t5\nu3\ti4\t4\nu1\ti5\t5\nu2\ti6\t4\n" +
  "u3\ti6\t1\n";

async function fixture(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/inter.tsv`, INTER);
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  return dir;
}

const SPLIT = {
  "train.tsv": "user\titem\nu1\ti1\nu1\ti2\nu2\ti2\nu2\ti3\nu3\ti1\n",
  "valid.txt": "i4\ni5\n",
  "test.tsv": "u2\ti6\t4\n",
};

Deno.test("generic split: interaction and item-id files become the provided split", async () => {
  const dir = await fixture(SPLIT);
  const split = { train: `${dir}/train.tsv`, valid: `${dir}/valid.txt`, test: `${dir}/test.tsv` };
  const { dataset: ds, report } = await loadGenericWithReport({
    interactions: `${dir}/inter.tsv`,
    split,
  });
  const ps = ds.providedSplit!;
  assert.equal(ps.source, `train=${split.train}, valid=${split.valid}, test=${split.test}`);
  assert.equal(ps.train.users.length, 5);
  // valid.txt lists items: every interaction of i4 and i5.
  const validItems = [...ps.valid.items].map((i) => ds.itemIds[i]).sort();
  assert.deepEqual(validItems, ["i4", "i5"]);
  // The test file is interactions: only (u2, i6), not (u3, i6).
  assert.deepEqual([...ps.test.users].map((u) => ds.userIds[u]), ["u2"]);
  assert.match(
    report.notes.join("\n"),
    /provided split: train=.*\(5 interactions, 3 items\).*1 interactions in no part/,
  );
  // The split a trial runs on is this one, and its description names the files.
  const cold = providedColdSplit(ds);
  assert.equal(cold.description, `provided (${ps.source})`);
  assert.deepEqual([...cold.testItems].map((i) => ds.itemIds[i]), ["i6"]);

  // With a rating threshold, split rows below it are skipped like the interactions'.
  const strict = await loadGeneric({
    interactions: `${dir}/inter.tsv`,
    ratingThreshold: 4,
    split: { ...split, test: `${dir}/test.tsv` },
  });
  assert.equal(strict.providedSplit!.test.users.length, 1);
});

Deno.test("generic split: a defect is one DataError naming the file, line and field", async () => {
  const cases: [Record<string, string>, RegExp][] = [
    [
      { "valid.txt": "i4\ni9\n" },
      /valid\.txt:2: field "item": unknown item "i9" \(not in .*inter\.tsv\)/,
    ],
    [{ "test.tsv": "u2\ti6\nu9\ti6\n" }, /test\.tsv:2: field "user": unknown user "u9"/],
    [
      { "test.tsv": "u1\ti6\n" },
      /test\.tsv:1: the pair \(user "u1", item "i6"\) is not an interaction/,
    ],
    [
      { "valid.txt": "i4\ni1\n" },
      /valid\.txt:2: field "item": cold valid item "i1" has training interactions in .*train\.tsv/,
    ],
    [
      { "test.tsv": "u3\ti4\n" },
      /test\.tsv:1: field "item": item "i4" is both a validation and a test item/,
    ],
    [{ "test.tsv": "item\n" }, /test\.tsv: field "test": no interactions/],
    [{ "test.tsv": "u2 i6 extra\nu2\n" }, /test\.tsv:2: expected at least 2 fields/],
  ];
  for (const [patch, says] of cases) {
    const dir = await fixture({ ...SPLIT, ...patch });
    await assert.rejects(
      () =>
        loadGeneric({
          interactions: `${dir}/inter.tsv`,
          split: { train: `${dir}/train.tsv`, valid: `${dir}/valid.txt`, test: `${dir}/test.tsv` },
        }),
      (e) => e instanceof DataError && says.test(e.message) && !e.message.includes("\n"),
      String(says),
    );
  }
});

Deno.test("generic split through an experiment: paths from the data root, checked before a run", async () => {
  const root = await fixture(SPLIT);
  const file = `${root}/exp.yaml`;
  await Deno.writeTextFile(
    file,
    "datasets:\n  mine:\n    kind: generic\n    interactions: inter.tsv\n" +
      "    split: { train: train.tsv, valid: valid.txt, test: test.tsv }\n" +
      "models: [random]\nseeds: [1]\n",
  );
  const plan = await loadExperiment(file, { dataRoot: root });
  const spec = plan.datasets[0].spec as unknown as { split: Record<string, string> };
  assert.equal(spec.split.test, `${root}/test.tsv`);
  assert.deepEqual(await missingDataPaths(plan), []);
  const ds = await loadDataset(plan.datasets[0].spec);
  const split = splitFor(ds, plan.settings);
  assert.equal(
    split.description,
    `provided (train=${root}/train.tsv, valid=${root}/valid.txt, test=${root}/test.tsv)`,
  );

  // A missing split file names its key; a defective one fails validation, before any write.
  await Deno.remove(`${root}/test.tsv`);
  const [missing] = await missingDataPaths(plan);
  assert.match(missing.message, /key "datasets\.mine\.split\.test": not found: .*test\.tsv/);
  await Deno.writeTextFile(`${root}/test.tsv`, "u1\ti1\n");
  await assert.rejects(
    () => validateExperiment(plan, planTrials(plan)),
    /test\.tsv:1: field "item": cold test item "i1" has training interactions/,
  );
  // A misspelt key of the split block is named with the keys it may hold.
  await Deno.writeTextFile(
    file,
    "datasets:\n  mine:\n    kind: generic\n    interactions: inter.tsv\n" +
      "    split: { train: train.tsv, valid: valid.txt, tset: test.tsv }\nmodels: [random]\n",
  );
  await assert.rejects(
    () => loadExperiment(file, { dataRoot: root }),
    /key "datasets\.mine\.split\.tset": unknown key .*known keys: train, valid, test/,
  );
});
