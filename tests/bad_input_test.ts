/**
 * The bad-input table: every kind of bad input a user can hand the command line — defective
 * data files, settings that cannot work together, malformed options, a foreign store, an
 * unwritable output folder — run through the CLI as a subprocess. Each must exit 1 with exactly
 * one line on stderr that names the file or the option, no stack trace, and leave every byte of
 * its workspace (the store, the results folder, the inputs) as it was. A few rows are inputs
 * that are right to accept (a header line in an item map, `--jobs` above the cores) and say so.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { encodeNpy } from "../lib/data/npy.ts";
import { ResultStore } from "../lib/store/mod.ts";

const root = new URL("..", import.meta.url).pathname;

/** A workspace: its folder, experiment file, store and output folder. */
interface Workspace {
  dir: string;
  exp: string;
  store: string;
  out: string;
}

/** One row of the table. */
interface Case {
  name: string;
  /** The experiment file (default: {@linkcode GENERIC} with the files of `files`). */
  experiment?: string;
  /** Input files of the workspace by name (on top of {@linkcode GOOD_FILES}). */
  files?: Record<string, string | Uint8Array>;
  /** Arguments after `run exp.yaml --store S --out O --data-root DIR`. */
  args?: string[];
  /** The whole command line instead (the workspace given). */
  argv?: (w: Workspace) => string[];
  /** What stderr's one line must say (a RegExp, or built from the workspace). */
  says: RegExp | ((w: Workspace) => RegExp);
  /** Exit code (default 1); 0 for inputs that are right to accept. */
  exit?: number;
}

const USERS = ["u1", "u2", "u3", "u4", "u5", "u6"];
const ITEMS = ["i1", "i2", "i3", "i4", "i5", "i6"];
const INTER = "user\titem\n" +
  USERS.flatMap((u, k) => [0, 1, 2].map((d) => `${u}\t${ITEMS[(k + d) % 6]}\n`)).join("");
const MAP = ITEMS.join("\n") + "\n";
const feats = (rows = 6, fill = (r: number, c: number) => r + c / 10) =>
  encodeNpy(Array.from({ length: rows * 2 }, (_, k) => fill(Math.floor(k / 2), k % 2)), [
    rows,
    2,
  ]);

/** A `.npy` file with any dtype string in its header (`<f2`, `>f4`, `|u1`, `|O`). */
function npyOf(descr: string, bytes: number, shape = "'shape': (6, 2), "): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, ${shape}}`;
  header = header.padEnd(Math.ceil((11 + header.length) / 64) * 64 - 11, " ") + "\n";
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(10 + h.length + bytes);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, h.length, true);
  out.set(h, 10);
  return out;
}

const GOOD_FILES: Record<string, string | Uint8Array> = {
  "inter.tsv": INTER,
  "attrs.tsv": ITEMS.map((i, k) => `${i}\ttag${k % 3}|tag${k % 2 + 3}`).join("\n") + "\n",
  "img.npy": feats(),
  "map.txt": MAP,
};

/** The generic dataset of the workspace's files; `extra` adds or replaces spec lines. */
function generic(extra = "", modality = "{ name: image, path: img.npy, itemMap: map.txt }") {
  return `name: bad
datasets:
  d:
    kind: generic
    interactions: inter.tsv
    attributes: attrs.tsv
    modalities: [${modality}]
${extra.split("\n").filter(Boolean).map((l) => `    ${l}`).join("\n")}
models: [random]
seeds: [1]
settings: { epochs: 1 }
`;
}

/** A small synthetic experiment for the cases about settings, models and options. */
const SYNTHETIC = `name: bad
datasets:
  synthetic: { users: 60, items: 50, seed: 2 }
models:
  random: {}
  clcrec: { dim: 8, hidden: 16, attrDim: 8, negatives: 4 }
seeds: [1]
settings: { epochs: 1, batchSize: 64 }
`;

const CASES: Case[] = [
  // --- data defects: found while planning, before the store is opened ---
  {
    name: "NaN feature in a .npy",
    files: { "img.npy": feats(6, (r, c) => (r === 2 && c === 1 ? NaN : r)) },
    says: (w) => new RegExp(`${w.dir}/img.npy: field "row 2, column 1": non-finite value NaN`),
  },
  {
    name: "Inf feature in a CSV feature file (line named)",
    experiment: generic("", "{ name: text, path: feats.csv }"),
    files: { "feats.csv": "item,a,b\ni1,1,2\ni2,Infinity,3\n" },
    says: (w) => new RegExp(`${w.dir}/feats.csv:3: field "column 2": .*Infinity`),
  },
  {
    name: "feature magnitude 1e38",
    files: { "img.npy": feats(6, (r) => (r === 4 ? 1e38 : r)) },
    says: (w) => new RegExp(`${w.dir}/img.npy: field "row 4, column 0": value .*e\\+37 is beyond`),
  },
  {
    name: "bad .npy header (magic)",
    files: { "img.npy": new TextEncoder().encode("NUMPY? no, a text file\n") },
    says: (w) => new RegExp(`${w.dir}/img.npy: not a .npy file \\(bad magic string\\)`),
  },
  {
    name: ".npy header without a shape",
    files: { "img.npy": npyOf("<f4", 48, "") },
    says: (w) => new RegExp(`${w.dir}/img.npy: field "shape": missing in .npy header`),
  },
  ...(["<f2", ">f4", "|u1", "|O"] as const).map((descr): Case => ({
    name: `.npy of dtype ${descr}`,
    files: { "img.npy": npyOf(descr, 96) },
    says: (w) => new RegExp(`${w.dir}/img.npy: field "descr": unsupported dtype "\\${descr}"`),
  })),
  {
    name: "row count of a .npy differs from its item map",
    files: { "img.npy": feats(5) },
    says: (w) => new RegExp(`${w.dir}/img.npy: field "shape": 5 rows but the item map .* 6 ids`),
  },
  {
    name: "duplicate item map entry",
    files: { "map.txt": "i1\ni2\ni3\ni2\ni5\ni6\n" },
    says: (w) => new RegExp(`${w.dir}/map.txt:4: field "item_id": duplicate item id "i2"`),
  },
  {
    name: "interactions row with a missing column",
    files: { "inter.tsv": INTER + "u7\n" },
    says: (w) => new RegExp(`${w.dir}/inter.tsv:20: expected at least 2 fields, got 1`),
  },
  {
    name: "missing file (item map)",
    experiment: generic("", "{ name: image, path: img.npy, itemMap: nosuch.txt }"),
    says: /exp\.yaml: key "datasets\.d\.modalities\.0\.itemMap": not found: .*nosuch\.txt/,
  },
  {
    name: "binary interactions file",
    files: { "inter.tsv": new Uint8Array([0x75, 0x31, 0x09, 0, 0xff, 0xfe, 0x0a]) },
    says: (w) => new RegExp(`${w.dir}/inter.tsv:1: binary data \\(a NUL byte`),
  },
  {
    name: "empty interactions file",
    files: { "inter.tsv": "" },
    says: (w) => new RegExp(`${w.dir}/inter.tsv: no interactions \\(empty file\\?\\)`),
    args: ["--dry-run"],
  },
  {
    name: "provided split: a cold test item with training interactions",
    experiment: generic("split: { train: train.tsv, valid: valid.txt, test: test.tsv }"),
    files: { "train.tsv": "u5\ti1\nu1\ti2\n", "valid.txt": "i4\n", "test.tsv": "u1\ti1\n" },
    says: (w) =>
      new RegExp(
        `${w.dir}/test.tsv:1: field "item": cold test item "i1" has training interactions`,
      ),
    args: ["--dry-run"],
  },
  {
    name: "provided split: a split file that does not exist",
    experiment: generic("split: { train: train.tsv, valid: valid.txt, test: nosuch.tsv }"),
    files: { "train.tsv": "u1\ti2\n", "valid.txt": "i4\n" },
    says: /exp\.yaml: key "datasets\.d\.split\.test": not found: .*nosuch\.tsv/,
  },
  {
    name: "strict: an interaction's item missing from the item map",
    experiment: generic("strict: true"),
    files: { "img.npy": feats(5), "map.txt": "i1\ni2\ni3\ni4\ni5\n" },
    says: (w) =>
      new RegExp(
        `${w.dir}/map.txt: field "item": no row for item "i6" of the interactions ` +
          `\\(${w.dir}/inter.tsv:13\\); strict: true needs a row for every item`,
      ),
  },
  {
    name: "bad-UTF-8 attribute row",
    files: {
      "attrs.tsv": new Uint8Array([
        ...new TextEncoder().encode("i1\trock\ni2\tjaz"),
        0xe9,
        ...new TextEncoder().encode("\n"),
      ]),
    },
    says: (w) => new RegExp(`${w.dir}/attrs.tsv:2: not valid UTF-8 at column 7`),
    args: ["--dry-run"],
  },
  {
    name: "accepted: a one-column item map whose first line is the header `item`",
    files: { "map.txt": "item\n" + MAP },
    args: ["--dry-run"],
    says: /^$/,
    exit: 0,
  },
  // --- settings and models that cannot work, found before any trial ---
  {
    name: "split ratios summing to more than 1",
    experiment: SYNTHETIC,
    args: ["--set", "settings.splitTrain=0.9"],
    says:
      /--set settings\.splitTrain=0\.9: key "settings\.splitTrain": .* = 1\.2; .* must sum to 1/,
  },
  {
    name: "cn: 0 for CCFCRec",
    experiment: SYNTHETIC.replace("random: {}", "ccfcrec: { dim: 8, cn: 0 }"),
    says: /exp\.yaml: key "models\.ccfcrec\.cn": ccfcrec config "cn": expected a positive integer/,
  },
  {
    name: "cp below 1 for M2VAE (--set)",
    experiment: SYNTHETIC,
    args: ["--set", "models.m2vae.cp=0.5"],
    says: /--set models\.m2vae\.cp=0\.5: key "models\.m2vae\.cp": m2vae config "cp": .* got 0\.5/,
  },
  {
    name: "unknown variant via --set",
    experiment: SYNTHETIC,
    args: ["--set", "models.m2vae.variant=bogus"],
    says:
      /--set models\.m2vae\.variant=bogus: key "models\.m2vae\.variant": unknown variant "bogus"/,
  },
  {
    name: "selectMetric Recall@10 under item2user",
    experiment: SYNTHETIC.replace("batchSize: 64", "batchSize: 64, selectMetric: Recall@10"),
    says:
      /exp\.yaml: key "settings\.selectMetric": "Recall@10" is not reported under protocol item2user/,
  },
  {
    name: "unknown dataset key (--set datasets.synthetic.usrs=3)",
    experiment: SYNTHETIC,
    args: ["--set", "datasets.synthetic.usrs=3"],
    says:
      /--set datasets\.synthetic\.usrs=3: key "datasets\.synthetic\.usrs": unknown key .*did you mean "users"/,
  },
  {
    name: "epochs 1e308",
    experiment: SYNTHETIC,
    args: ["--set", "settings.epochs=1e308"],
    says: /--set settings\.epochs=1e308: key "settings\.epochs": at most 100,000 allowed/,
  },
  {
    name: "batchSize not an integer",
    experiment: SYNTHETIC.replace("batchSize: 64", "batchSize: 64.5"),
    says: /exp\.yaml: key "settings\.batchSize": expected a positive integer, got 64\.5/,
  },
  {
    name: "negative seed",
    experiment: SYNTHETIC.replace("seeds: [1]", "seeds: [1, -3]"),
    says: /exp\.yaml: key "seeds": a seed is an integer in \[0, 2147483647\], got -3/,
  },
  {
    // Refused by the config check, before a trial is planned (the message says so; no timing).
    name: "seeds=1000000000 is refused before planning",
    experiment: SYNTHETIC,
    args: ["--set", "seeds=1000000000"],
    says: /--set seeds=1000000000: key "seeds": at most 1000 seeds/,
  },
  {
    name: "--jobs -1",
    experiment: SYNTHETIC,
    args: ["--jobs", "-1"],
    says: /--jobs: expected a positive integer \(worker processes, 1 to \d+ here\), got "-1"/,
  },
  {
    name: "accepted: --jobs above the cores is capped with a one-line warning",
    experiment: SYNTHETIC,
    args: ["--jobs", "999", "--dry-run"],
    says: /^warning: --jobs 999 is more than the \d+ cores of this machine; using \d+$/,
    exit: 0,
  },
  {
    name: "--set with malformed YAML",
    experiment: SYNTHETIC,
    args: ["--set", "settings.epochs=[1"],
    says: /--set settings\.epochs=\[1: key "settings\.epochs": malformed YAML/,
  },
  {
    name: "--set naming an unknown model",
    experiment: SYNTHETIC,
    args: ["--set", "models=[m3vae]"],
    says:
      /--set models=\[m3vae\]: key "models\.m3vae": Cannot resolve model .*did you mean "m2vae"/,
  },
  {
    name: "YAML alias bomb",
    experiment: [
      `a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]`,
      ...Array.from({ length: 8 }, (_, i) => `a${i + 1}: &a${i + 1} [${`*a${i}, `.repeat(9)}]`),
      "datasets: *a8",
    ].join("\n"),
    says: /exp\.yaml: key "": YAML aliases expand past 100 nodes/,
  },
  {
    name: "unknown settings key",
    experiment: SYNTHETIC.replace("epochs: 1", "epoch: 1"),
    says: /exp\.yaml: key "settings\.epoch": unknown key \(did you mean "epochs"\?\)/,
  },
  {
    name: "experiment name that is not a safe file name",
    experiment: SYNTHETIC.replace("name: bad", "name: ../../x"),
    says: /exp\.yaml: key "name": "\.\.\/\.\.\/x" is not a safe file name/,
  },
  {
    name: "missing experiment file",
    argv: (w) => ["run", join(w.dir, "nosuch.yaml"), "--store", w.store, "--out", w.out],
    says: (w) => new RegExp(`${w.dir}/nosuch.yaml: key "": file not found`),
  },
  // --- where results go ---
  {
    name: "store that is another program's SQLite database",
    experiment: SYNTHETIC,
    argv: (w) => ["run", w.exp, "--store", join(w.dir, "app.sqlite"), "--out", w.out],
    says: (w) =>
      new RegExp(`${w.dir}/app.sqlite: not a result store \\(an SQLite database with other`),
  },
  {
    name: "store that is a text file",
    experiment: SYNTHETIC,
    files: { "notes.txt": "my notes\n".repeat(20) },
    argv: (w) => ["run", w.exp, "--store", join(w.dir, "notes.txt"), "--out", w.out],
    says: (w) => new RegExp(`${w.dir}/notes.txt: not a result store or corrupt`),
  },
  {
    name: "unwritable --out (below a file)",
    experiment: SYNTHETIC,
    files: { "taken": "a file\n" },
    argv: (w) => ["run", w.exp, "--store", w.store, "--out", join(w.dir, "taken", "out")],
    says: (w) => new RegExp(`--out ${w.dir}/taken/out: ${w.dir}/taken is a file, not a folder`),
  },
  // --- bench ---
  {
    name: "bench --table that does not exist",
    argv: (w) => ["bench", "--table", join(w.dir, "nosuch.yaml")],
    says: (w) => new RegExp(`--table: no such file "${w.dir}/nosuch.yaml"`),
  },
  {
    name: "bench --table with --jobs 0",
    experiment: SYNTHETIC,
    argv: (w) => ["bench", "--table", w.exp, "--jobs", "0"],
    says: /--jobs: expected a whole number ≥ 1, got "0"/,
  },
  {
    name: "bench --datasets without --table",
    argv: () => ["bench", "--datasets", "lastfm-2k-multimodal"],
    says: /--datasets: only with --table FILE/,
  },
  {
    name: "bench --models of a model that does not train (before any benchmark)",
    argv: () => ["bench", "--models", "random"],
    says: /--models: random does not train/,
  },
  {
    name: "bench --quick with --table",
    experiment: SYNTHETIC,
    argv: (w) => ["bench", "--table", w.exp, "--quick"],
    says: /--quick: not with --table FILE/,
  },
  {
    name: "bench --table with --set seeds",
    experiment: SYNTHETIC,
    argv: (w) => ["bench", "--table", w.exp, "--set", "seeds=[0,1]"],
    says: /--set seeds=\[0,1\]: not with --table/,
  },
  {
    name: "bench --sweep-trials without --jobs-ratio",
    argv: () => ["bench", "--sweep-trials", "4"],
    says: /--sweep-trials: only with --jobs-ratio/,
  },
  {
    name: "bench --validation of an unknown dataset",
    argv: () => ["bench", "--validation", "nosuch"],
    says: /--validation: no configs\/datasets\/ entry "nosuch"/,
  },
];

/** Every file of a folder (recursively) with a hash of its bytes. */
function snapshot(dir: string, into: Record<string, string> = {}, prefix = ""): object {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) {
      into[`${prefix}${e.name}/`] = "dir";
      snapshot(p, into, `${prefix}${e.name}/`);
    } else {
      into[`${prefix}${e.name}`] = createHash("sha256").update(Deno.readFileSync(p)).digest("hex");
    }
  }
  return into;
}

let storeBytes: Uint8Array | undefined;

/** A toolkit store with its tables, as bytes (made once). */
async function emptyStore(): Promise<Uint8Array> {
  if (!storeBytes) {
    const dir = await Deno.makeTempDir({ prefix: "bad_input_store_" });
    await (await ResultStore.open(join(dir, "store.sqlite"))).close();
    storeBytes = await Deno.readFile(join(dir, "store.sqlite"));
    await Deno.remove(dir, { recursive: true });
  }
  return storeBytes;
}

async function workspace(c: Case): Promise<Workspace> {
  const dir = await Deno.makeTempDir({ prefix: "bad_input_" });
  const w = {
    dir,
    exp: join(dir, "exp.yaml"),
    store: join(dir, "store.sqlite"),
    out: join(dir, "results", "bad"),
  };
  for (const [name, v] of Object.entries({ ...GOOD_FILES, ...c.files })) {
    if (typeof v === "string") await Deno.writeTextFile(join(dir, name), v);
    else await Deno.writeFile(join(dir, name), v);
  }
  await Deno.writeTextFile(w.exp, c.experiment ?? generic());
  await Deno.writeFile(w.store, await emptyStore());
  await Deno.mkdir(w.out, { recursive: true });
  await Deno.writeTextFile(join(w.out, "01_table3_item2user.md"), "| an earlier report |\n");
  const { DatabaseSync } = await import("node:sqlite");
  const app = new DatabaseSync(join(dir, "app.sqlite"));
  app.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)");
  app.exec("INSERT INTO users VALUES (1, 'ada')");
  app.close();
  return w;
}

interface Outcome {
  w: Workspace;
  code: number;
  stdout: string;
  stderr: string;
  before: object;
  after: object;
}

async function runCase(c: Case): Promise<Outcome> {
  const w = await workspace(c);
  const before = snapshot(w.dir);
  const argv = c.argv?.(w) ??
    ["run", w.exp, "--store", w.store, "--out", w.out, "--data-root", w.dir, ...(c.args ?? [])];
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(root, "cli/main.ts"), ...argv],
    cwd: w.dir,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  const after = snapshot(w.dir);
  await Deno.remove(w.dir, { recursive: true });
  return {
    w,
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
    before,
    after,
  };
}

/** Runs every case, three subprocesses at a time, once; each test awaits its own. */
const outcomes = new Map<string, Promise<Outcome>>();
function outcome(c: Case): Promise<Outcome> {
  if (outcomes.size === 0) {
    const gates: ((v: void) => void)[] = [];
    let running = 0;
    const slot = async () => {
      while (running >= 3) await new Promise<void>((r) => gates.push(r));
      running++;
    };
    const release = () => {
      running--;
      gates.shift()?.();
    };
    for (const k of CASES) {
      outcomes.set(
        k.name,
        (async () => {
          await slot();
          try {
            return await runCase(k);
          } finally {
            release();
          }
        })(),
      );
    }
  }
  return outcomes.get(c.name)!;
}

for (const c of CASES) {
  Deno.test(`bad input: ${c.name}`, async () => {
    const r = await outcome(c);
    const why = `stderr: ${r.stderr}\nstdout: ${r.stdout.slice(0, 400)}`;
    assert.equal(r.code, c.exit ?? 1, why);
    const lines = r.stderr.split("\n").filter((l) => l !== "");
    assert.doesNotMatch(r.stderr, /^\s+at |Uncaught|Stack backtrace/m, why);
    const says = typeof c.says === "function" ? c.says(r.w) : c.says;
    if ((c.exit ?? 1) === 0 && says.source === "^$") {
      assert.equal(lines.length, 0, why);
      assert.match(r.stdout, /^experiment bad /);
    } else {
      assert.equal(lines.length, 1, `not one line: ${why}`);
      if ((c.exit ?? 1) !== 0) assert.match(lines[0], /^error: /);
      assert.match(lines[0], says);
    }
    assert.deepEqual(r.after, r.before, "the workspace changed (store, results or inputs)");
  });
}
