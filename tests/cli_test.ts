/**
 * End-to-end tests of the command line: bad input fails with one line naming the file and the
 * field, exit code 1 and no results written; a small experiment runs and writes its results.
 */
import assert from "node:assert/strict";
import { join } from "node:path";

import { cli, root } from "./_cli.ts";

async function experiment(text: string) {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "exp.yaml");
  await Deno.writeTextFile(file, text);
  return { dir, file, out: join(dir, "out"), store: join(dir, "store.sqlite") };
}

async function exists(p: string) {
  return await Deno.stat(p).then(() => true, () => false);
}

const SMALL = `
name: small
datasets:
  synthetic: { users: 150, items: 120, seed: 2 }
models:
  random: {}
  clcrec: { dim: 8, hidden: 16, attrDim: 8, negatives: 8 }
seeds: [1, 2]
settings: { epochs: 1, batchSize: 512 }
`;

Deno.test("run: a small experiment writes its reports and stores every trial", async () => {
  const e = await experiment(SMALL);
  const r = await cli("run", e.file, "--out", e.out, "--store", e.store, "--quiet");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Protocol: item2user/);
  assert.match(
    r.stdout,
    /budget: synthetic at most 1 epoch, stop after 5 validations without gain;/,
  );
  assert.match(r.stdout, /\| Random +\|/);
  assert.match(r.stdout, /\| CLCRec +\|/);
  const files = [...Deno.readDirSync(e.out)].map((f) => f.name).sort();
  assert.deepEqual(files, [
    "01_table3_item2user.csv",
    "01_table3_item2user.md",
    "01_table3_item2user.tex",
  ]);
  const exported = await cli("report", "--store", e.store, "--export", "jsonl");
  assert.equal(exported.code, 0, exported.stderr);
  const trials = exported.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(trials.length, 4);
  for (const t of trials) {
    assert.equal(t.status, "done");
    assert.match(t.split, /^[0-9a-f]{16}$/);
    assert.match(t.datasetFingerprint, /^[0-9a-f]{16}$/);
    assert.equal(t.protocol, "item2user");
    assert.ok(Number.isFinite(t.test["HR@5"]) && Number.isFinite(t.valid["NDCG@10"]));
  }
  const again = await cli("run", e.file, "--out", e.out, "--store", e.store, "--quiet");
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /4 trials, 4 already done, 0 to run/);
  assert.equal(again.stdout, r.stdout);
});

Deno.test("run: malformed YAML is one line naming the file and line, exit 1, nothing written", async () => {
  const e = await experiment("name: x\ndatasets: [unclosed\n");
  const r = await cli("run", e.file, "--out", e.out, "--store", e.store);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`error: ${e.file}:\\d+: key "": malformed YAML`));
  assert.equal(await exists(e.out), false);
  assert.equal(await exists(e.store), false);
});

Deno.test("run: an unknown settings key names the key path and suggests the right one", async () => {
  const e = await experiment(SMALL.replace("epochs: 1", "epoch: 1"));
  const r = await cli("run", e.file, "--out", e.out, "--store", e.store);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /key "settings.epoch": unknown key \(did you mean "epochs"\?\)/);
  assert.equal(await exists(e.out), false);
  assert.equal(await exists(e.store), false);
});

Deno.test("run: an unknown model lists the registered ones", async () => {
  const e = await experiment(SMALL.replace("random: {}", "nosuchmodel: {}"));
  const r = await cli("run", e.file, "--out", e.out, "--store", e.store);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Cannot resolve model "nosuchmodel": registered models are "random", /);
});

Deno.test("run: a wrongly typed model key and a --set override are checked", async () => {
  const e = await experiment(SMALL);
  const r = await cli(
    "run",
    e.file,
    "--out",
    e.out,
    "--store",
    e.store,
    "--set",
    "models.clcrec.tau=warm",
  );
  assert.equal(r.code, 1);
  assert.match(r.stderr, /key "models.clcrec.tau": expected a number, got "warm"/);
});

Deno.test("run: a missing data path is named", async () => {
  const e = await experiment(
    `datasets:\n  ml: { kind: movielens, path: no/such/dir }\nmodels: [random]\n`,
  );
  const r = await cli("run", e.file, "--out", e.out, "--store", e.store);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no\/such\/dir/);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.equal(await exists(e.out), false);
  assert.equal(await exists(e.store), false);
});

Deno.test("run: a model variant is selected by name and labels its row", async () => {
  const e = await experiment(`
datasets:
  synthetic: { users: 120, items: 100, seed: 2 }
models:
  "m2vae (w/o SG)": { dim: 8, decoderHidden: 8, attnHidden: 8, gateHidden: 8, cp: 2, cn: 4 }
seeds: [1]
settings: { epochs: 1, batchSize: 512 }
`);
  const r = await cli("run", e.file, "--out", e.out, "--store", e.store, "--quiet");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\| M2VAE w\/o SG +\|/);
  const bad = await cli("run", e.file, "--store", e.store, "--set", `models.m2vae (w/o XY)={}`);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /unknown variant "w\/o XY"; variants are "full", "w\/o common"/);
});

Deno.test("data: prints the statistics of a dataset and its default split", async () => {
  const r = await cli("data", "synthetic", "--opt", "users=100", "--opt", "items=80");
  assert.equal(r.code, 0, r.stderr);
  const stats = JSON.parse(r.stdout);
  assert.equal(stats.users, 100);
  assert.equal(stats.items, 80);
  assert.match(stats.split.fingerprint, /^[0-9a-f]{16}$/);
});

Deno.test("unknown command exits 1", async () => {
  const r = await cli("frobnicate");
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "error: unknown command 'frobnicate'\n");
});

Deno.test("the demo: floors, the planted oracle, three baselines, M2VAE and one ablation", async () => {
  const { loadExperiment } = await import("../lib/config/mod.ts");
  const plan = await loadExperiment(join(root, "experiments/demo.yaml"));
  const rows = plan.models.map((m) => [m.label, m.family, m.variant]);
  assert.deepEqual(rows, [
    ["Random", "sanity", "full"],
    ["Popularity", "sanity", "full"],
    ["Planted oracle", "oracle", "full"],
    ["CLCRec", "contrastive", "full"],
    ["CCFCRec", "contrastive", "full"],
    ["GoRec", "VAE-based", "full"],
    ["M2VAE", "ours", "full"],
    ["M2VAE w/o M-MoE", "ours", "w/o M-MoE"],
  ]);
  assert.deepEqual(plan.seeds, [1]);
  assert.equal(plan.settings.epochs, 4);
});

Deno.test("data: configs/datasets names and loader kinds; the synthetic default is the demo's", async () => {
  const demo = await cli("run", "experiments/demo.yaml", "--dry-run");
  assert.equal(demo.code, 0, demo.stderr);
  const syn = await cli("data", "synthetic");
  assert.equal(syn.code, 0, syn.stderr);
  const stats = JSON.parse(syn.stdout);
  // configs/datasets/synthetic.yaml: generator seed 0, as the demo's `synthetic: {}` entry.
  assert.equal(stats.source, "synthetic(seed=0)");
  const { loadExperiment } = await import("../lib/config/mod.ts");
  const { datasetStats, loadDataset } = await import("../lib/data/mod.ts");
  const { splitFor } = await import("../lib/run/mod.ts");
  const plan = await loadExperiment(join(root, "experiments/demo.yaml"));
  const ds = plan.datasets[0];
  const demoSet = await loadDataset(ds.spec);
  assert.deepEqual(
    { ...stats, loadSeconds: undefined, split: undefined },
    {
      name: demoSet.name,
      source: demoSet.source,
      ...datasetStats(demoSet),
      loadSeconds: undefined,
      split: undefined,
    },
  );
  assert.equal(stats.split.fingerprint, splitFor(demoSet, ds.settings).fingerprint);
  const bad = await cli("data", "ml-latest");
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
  assert.match(
    bad.stderr,
    /unknown dataset "ml-latest"; configs\/datasets\/ entries: .*ml-latest-small/,
  );
  assert.match(bad.stderr, /loader kinds: synthetic, .*movielens.*generic/);
});

Deno.test("data: a loader's missing path or file is one line naming the option", async () => {
  const ml = await cli("data", "movielens");
  assert.equal(ml.code, 1);
  assert.equal(
    ml.stderr,
    'error: data movielens: missing --path <folder>: the movielens loader needs "path"\n',
  );
  const gen = await cli("data", "generic", "--path", "F");
  assert.equal(gen.code, 1);
  assert.match(gen.stderr, /^error: data generic: missing --opt interactions=<file>: .*\n$/);
  assert.doesNotMatch(gen.stderr + ml.stderr, /Cannot read properties/);
  // A configs entry whose folder is not under the data root names the path.
  const lastfm = await cli("data", "lastfm-2k-multimodal", "--data-root", "/no/such/root");
  assert.equal(lastfm.code, 1);
  assert.equal(lastfm.stderr.trim().split("\n").length, 1, lastfm.stderr);
  assert.equal(
    lastfm.stderr,
    'error: data lastfm-2k-multimodal: "path" not found: /no/such/root/lastfm-2k-multimodal ' +
      "(--data-root /no/such/root)\n",
  );
  // Without --data-root the entry's relative path is read here, and the line says so.
  const bare = await cli("data", "lastfm-2k-multimodal");
  assert.equal(bare.code, 1);
  assert.match(
    bare.stderr,
    /^error: data lastfm-2k-multimodal: "path" not found: .*\(set --data-root\?\)\n$/,
  );
  // A path given by option names the option.
  const given = await cli("data", "lastfm-2k-multimodal", "--path", "/no/such/folder");
  assert.match(
    given.stderr,
    /^error: .*"path" not found: \/no\/such\/folder \(--path \/no\/such\/folder\)\n$/,
  );
});

Deno.test("run from another directory uses the toolkit's configs; --configs replaces them", async () => {
  const e = await experiment(SMALL);
  const elsewhere = await Deno.makeTempDir();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(root, "cli/main.ts"), "run", e.file, "--dry-run"],
    cwd: elsewhere,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.match(text, new RegExp(`configs: ${join(root, "configs")}\n?$`));
  // A configs folder of one's own replaces the toolkit's: the dataset names its kind itself.
  await Deno.writeTextFile(e.file, SMALL.replace("synthetic: {", "synthetic: { kind: synthetic,"));
  const mine = join(e.dir, "myconfigs");
  await Deno.mkdir(join(mine, "models"), { recursive: true });
  await Deno.writeTextFile(join(mine, "models", "clcrec.yaml"), "tau: 0.25\n");
  const r = await cli(
    "run",
    e.file,
    "--configs",
    mine,
    "--store",
    e.store,
    "--out",
    e.out,
    "--quiet",
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`\\(store ${e.store}, configs ${mine}\\)`));
  const exported = await cli("report", "--store", e.store, "--export", "jsonl");
  const clcrec = exported.stdout.trim().split("\n").map((l) => JSON.parse(l))
    .find((t) => t.model === "clcrec");
  assert.equal(clcrec.config.tau, 0.25);
  const gone = await cli("run", e.file, "--configs", join(e.dir, "nope"), "--store", e.store);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /nope: key "": configs folder not found\n$/);
});

Deno.test("run: an experiment name that is not a safe file name is refused before anything is written", async () => {
  const e = await experiment(SMALL.replace("name: small", "name: ../../x"));
  const r = await cli("run", e.file, "--out", e.out, "--store", e.store);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /key "name": "\.\.\/\.\.\/x" is not a safe file name/);
  assert.equal(await exists(e.store), false);
});
