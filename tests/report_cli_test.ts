/**
 * `report --merge` through the command line: two experiments run into one store, each with its
 * own rows, make one Table 3 whose caption names both; a row in both comes from the experiment
 * `--prefer` names, and without one, or with a dataset on another split, is one line naming what
 * differs, exit 1.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "./_cli.ts";

const EXP = `
name: base
datasets:
  synthetic: { users: 150, items: 120, seed: 2 }
models:
  random: {}
  clcrec: { dim: 8, hidden: 16, attrDim: 8, negatives: 8 }
seeds: [1, 2, 3]
settings: { epochs: 1, batchSize: 512 }
`;

Deno.test("report --merge: rows of two experiments in one table; a shared row or another split is refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "report_merge_" });
  try {
    const file = join(dir, "exp.yaml"), store = join(dir, "store.sqlite");
    await Deno.writeTextFile(file, EXP);
    const run = async (...set: string[]) => {
      const r = await cli(
        "run",
        file,
        "--store",
        store,
        "--out",
        join(dir, "out"),
        "--quiet",
        ...set.flatMap((s) => ["--set", s]),
      );
      assert.equal(r.code, 0, r.stderr);
    };
    // One row run on its own, as after rerunning a single row under its own name.
    await run("name=floors", "models={random: {}}");
    await run(
      "name=clcrec_alone",
      "models={clcrec: {dim: 8, hidden: 16, attrDim: 8, negatives: 8}}",
    );
    await run("name=again", "models={random: {}}");
    await run(
      "name=other_split",
      "models={clcrec: {}}",
      "datasets={synthetic: {users: 150, items: 120, seed: 3}}",
    );
    const report = (...args: string[]) => cli("report", "--store", store, ...args);
    const merge = (...names: string[]) =>
      report(...names.flatMap((e) => ["--experiment", e]), "--merge");
    const merged = await report(
      "--experiment",
      "floors",
      "--experiment",
      "clcrec_alone",
      "--merge",
      "--layout",
      "table3",
    );
    assert.equal(merged.code, 0, merged.stderr);
    assert.match(merged.stdout, /Experiment floors \+ clcrec_alone/);
    const rows = merged.stdout.split("\n").filter((l) => /^\| (Random|CLCRec) /.test(l));
    assert.equal(rows.length, 2, merged.stdout);
    const tables = merged.stdout.split("\n").filter((l) => /^\| Model /.test(l));
    assert.equal(tables.length, 1, "one table");
    // Each experiment alone is still its own table.
    const alone = await report("--experiment", "floors");
    assert.doesNotMatch(alone.stdout, /CLCRec/);

    const shared = await merge("floors", "again");
    assert.equal(shared.code, 1);
    assert.equal(shared.stderr.trim().split("\n").length, 1, shared.stderr);
    assert.match(shared.stderr, /Row "Random" on synthetic is in both "floors" and "again"/);
    // A row rerun under its own name on other seeds: taken from the experiment preferred, and
    // the table's seeds are that run's alone.
    await run("name=random_rerun", "models={random: {}}", "seeds=[4, 5, 6]");
    const preferred = await report(
      ...["--experiment", "floors", "--experiment", "random_rerun", "--merge", "--prefer"],
      ...["random_rerun", "--layout", "table3"],
    );
    assert.equal(preferred.code, 0, preferred.stderr);
    assert.match(preferred.stdout, /Random on synthetic from random_rerun \(not floors\)/);
    assert.equal(preferred.stdout.split("\n").filter((l) => /^\| Random /.test(l)).length, 1);
    assert.match(preferred.stdout, /Seeds: 4, 5, 6 /, preferred.stdout);
    const three = await merge("floors", "again", "random_rerun");
    assert.equal(three.code, 1);
    assert.match(three.stderr, /is in "floors", "again" and "random_rerun": a merged report/);
    const other = await report(
      ...["--experiment", "floors", "--experiment", "random_rerun", "--merge", "--prefer"],
      ...["floors", "--layout", "table3"],
    );
    assert.match(other.stdout, /Seeds: 1, 2, 3 /, other.stdout);
    const unmerged = await report("--experiment", "floors", "--prefer", "floors");
    assert.equal(unmerged.code, 1);
    assert.match(unmerged.stderr, /--prefer: only with --merge/);
    const stray = await report(
      ...["--experiment", "floors", "--experiment", "random_rerun", "--merge"],
      ...["--prefer", "again"],
    );
    assert.equal(stray.code, 1);
    assert.match(stray.stderr, /--prefer: "again" is not one of the --experiment names/);
    // A row left out for the preferred one does not bring its split into the table.
    await run(
      "name=random_other_split",
      "models={random: {}}",
      "datasets={synthetic: {users: 150, items: 120, seed: 3}}",
    );
    const otherSplit = await report(
      ...["--experiment", "floors", "--experiment", "random_other_split", "--merge"],
      ...["--prefer", "floors", "--layout", "table3"],
    );
    assert.equal(otherSplit.code, 0, otherSplit.stderr);
    const split = await merge("floors", "other_split");
    assert.equal(split.code, 1);
    assert.match(
      split.stderr,
      /synthetic \(item2user\) has split \S+ in "floors" and \S+ in "other_split"/,
    );
    // One experiment may hold rows on two splits (a row's own split seed): not a merge, no check.
    await run("name=mixed", "models={random: {}, popularity: {settings: {splitSeed: 7}}}");
    const mixed = await report("--experiment", "mixed");
    assert.equal(mixed.code, 0, mixed.stderr);
    assert.match(mixed.stdout, /\| Popularity /);
    // Either order: a merge may not bring a split another lacks, and may join one holding it.
    const reversed = await merge("other_split", "floors");
    assert.equal(reversed.code, 1);
    assert.match(reversed.stderr, /has split \S+ in "other_split" and \S+ in "floors"/);
    for (const order of [["mixed", "clcrec_alone"], ["clcrec_alone", "mixed"]]) {
      const r = await merge(...order);
      assert.equal(r.code, 0, `${order.join(" + ")}: ${r.stderr}`);
    }
    const one = await merge("floors");
    assert.equal(one.code, 1);
    assert.match(one.stderr, /--merge: name at least two experiments/);
    const twice = await merge("floors", "floors");
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /--experiment: "floors" is named twice/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
