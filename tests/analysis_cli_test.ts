/**
 * End-to-end tests of the analysis commands on a tiny synthetic experiment run through the
 * command line into a temporary store: `explain`, `probe`, `compare`, `embed`, `figures`, `report --format html`
 * (rendered in Debian's headless chromium when it is installed) and `report --export` with the
 * checkpoint paths; and the demo's store through `figures` and the HTML report.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TINY_EXPERIMENT } from "../lib/analysis/_fixture.ts";
import { cli } from "./_cli.ts";

const dec = new TextDecoder();

const dir = await Deno.makeTempDir({ prefix: "analysis_cli_test_" });
const store = join(dir, "store.sqlite");
await Deno.writeTextFile(join(dir, "tiny.yaml"), TINY_EXPERIMENT);
const ran = await cli(
  "grid",
  join(dir, "tiny.yaml"),
  "--store",
  store,
  "--out",
  join(dir, "out"),
  "--quiet",
);
if (ran.code !== 0) throw new Error(`the tiny experiment failed: ${ran.stderr}`);
const trials: { key: string; model: string; label: string; seed: number; checkpoint: string }[] =
  (await cli("report", "--store", store, "--export", "jsonl")).stdout.trim().split("\n")
    .map((l) => JSON.parse(l));
const m2vae = trials.find((t) => t.label === "M2VAE")!;
const random = trials.find((t) => t.model === "random")!;

Deno.test("report --export: every finished trial names its checkpoint file", () => {
  assert.equal(trials.length, 18);
  for (const t of trials) {
    assert.equal(t.checkpoint, join(dir, "artifacts", t.key, "checkpoint.safetensors"));
    assert.ok(Deno.statSync(t.checkpoint).isFile);
  }
});

Deno.test("explain: gates and α per item as a table or JSON lines; a model without gates is one line, exit 1", async () => {
  const md = await cli(
    "explain",
    "--store",
    store,
    "--trial",
    m2vae.key.slice(0, 8),
    "--user",
    "#5",
    "--item",
    "#1",
    "--item",
    "#2",
  );
  assert.equal(md.code, 0, md.stderr);
  assert.match(md.stdout, /\| user \| item \| part +\| gate attributes \| gate image \| +α \|/);
  assert.equal(md.stdout.trim().split("\n").filter((l) => /^\| u\d+/.test(l)).length, 2);
  const js = await cli(
    "explain",
    "--store",
    store,
    "--trial",
    m2vae.key,
    "--user",
    "#5",
    "--item",
    "#1",
    "--format",
    "json",
  );
  assert.equal(js.code, 0, js.stderr);
  const row = JSON.parse(js.stdout);
  assert.equal(row.trial, m2vae.key);
  assert.match(row.user, /^u\d+$/);
  assert.ok(Math.abs(row.gates.attributes + row.gates.image - 1) < 1e-5);
  const bad = await cli(
    "explain",
    "--store",
    store,
    "--trial",
    random.key,
    "--user",
    "#5",
    "--item",
    "#1",
  );
  assert.equal(bad.code, 1);
  assert.equal(
    bad.stderr.trim(),
    `error: explain: this trial is model "random", which has no modality gates (explain needs M2VAE or one of its variants)`,
  );
  const none = await cli(
    "explain",
    "--store",
    store,
    "--trial",
    "00000000",
    "--user",
    "#5",
    "--item",
    "#1",
  );
  assert.equal(none.code, 1);
  assert.match(none.stderr, /^error: no trial "00000000" in /);
});

Deno.test("probe: the gaps, the user activity and where the hits fall", async () => {
  const r = await cli("probe", "--store", store, "--trial", m2vae.key);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Where the hits fall/);
  assert.match(r.stdout, /\| items' users \| items \| +HR@5 \| NDCG@5 \| Reach@5 \|/);
  assert.match(r.stdout, /\| all +\| +\d+ \|/);
  assert.match(r.stdout, /Distinct users in the items' top lists.*@5 \d\.\d{3}/);
  const js = await cli("probe", "--store", store, "--trial", m2vae.key, "--format", "json");
  const spread = js.stdout.trim().split("\n").map((l) => JSON.parse(l)).find((x) => x.spread);
  assert.ok(spread.spread.overall["Reach@5"] >= 0 && spread.spread.groups.length >= 1);
});

Deno.test("compare: two rows by label, item by item; bad rows and options are one line, exit 1", async () => {
  const md = await cli("compare", "--store", store, "--a", "M2VAE", "--b", "M2VAE w/o DCL");
  assert.equal(md.code, 0, md.stderr);
  assert.match(md.stdout, /^a: M2VAE, 2 trials \(seeds 1, 2\)\nb: M2VAE w\/o DCL, 2 trials/);
  assert.match(md.stdout, /\| metric +\| +a \| +b \| +a − b \| 95 % interval \(items\) \|/);
  assert.equal(md.stdout.split("\n").filter((l) => /^\| (HR|NDCG|Reach)@\d+ /.test(l)).length, 9);
  const js = await cli(
    "compare",
    "--store",
    store,
    "--a",
    m2vae.key.slice(0, 8),
    "--b",
    random.key,
    "--part",
    "valid",
    "--resamples",
    "500",
    "--format",
    "json",
  );
  assert.equal(js.code, 0, js.stderr);
  const out = JSON.parse(js.stdout);
  assert.deepEqual(out.a.trials, [{ key: m2vae.key, seed: m2vae.seed }]);
  assert.equal(out.part, "valid");
  const hr = out.metrics.find((m: { metric: string }) => m.metric === "HR@5");
  assert.ok(hr.queries.lo <= hr.queries.mean && hr.queries.mean <= hr.queries.hi);
  assert.ok(Math.abs(hr.a - hr.b - hr.queries.mean) < 1e-12);
  for (
    const [args, message] of [
      [
        ["--a", "M2VAE", "--b", "Nope"],
        /^error: no row "Nope" in .*\(rows: M2VAE, M2VAE w\/o DCL, Random\)$/,
      ],
      [
        ["--a", "M2VAE", "--b", "Random", "--experiment", "other"],
        /^error: --experiment: no experiment "other" in /,
      ],
      [
        ["--a", "M2VAE", "--b", "Random", "--experiment-b", "other"],
        /^error: --experiment-b: no experiment "other" in /,
      ],
      [
        ["--a", "M2VAE", "--b", "Random", "--part", "train"],
        /^error: --part: expected test or valid, got "train"$/,
      ],
      [
        ["--a", "M2VAE", "--b", "Random", "--resamples", "5"],
        /^error: --resamples: expected an integer ≥ 100/,
      ],
    ] as const
  ) {
    const bad = await cli("compare", "--store", store, ...args);
    assert.equal(bad.code, 1, bad.stdout);
    assert.equal(bad.stderr.trim().split("\n").length, 1);
    assert.match(bad.stderr.trim(), message);
  }
});

Deno.test("embed: .npy, CSV and the 2-D map beside the checkpoint; chosen views and items", async () => {
  const r = await cli("embed", "--store", store, "--trial", m2vae.key);
  assert.equal(r.code, 0, r.stderr);
  const out = join(dir, "artifacts", m2vae.key, "embed");
  for (
    const f of [
      "common.npy",
      "attributes.npy",
      "image.npy",
      "items.csv",
      "means.csv",
      "map.csv",
      "map.svg",
      "map.vl.json",
    ]
  ) {
    assert.ok(Deno.statSync(join(out, f)).size > 0, f);
  }
  assert.match(
    r.stdout,
    /map: t-SNE \(exact, @keckelt\/tsne 1\.0\.2, perplexity [\d.]+, 500 iterations, seed 0\), \d+ items; share of 10 nearest neighbours/,
  );
  const some = await cli(
    "embed",
    "--store",
    store,
    "--trial",
    m2vae.key,
    "--views",
    "common,image",
    "--items",
    "all",
    "--no-map",
    "--out",
    join(dir, "emb"),
  );
  assert.equal(some.code, 0, some.stderr);
  assert.deepEqual([...Deno.readDirSync(join(dir, "emb"))].map((f) => f.name).sort(), [
    "common.npy",
    "image.npy",
    "items.csv",
    "means.csv",
  ]);
  const items = (await Deno.readTextFile(join(dir, "emb", "items.csv"))).trim().split("\n");
  assert.equal(items.length, 1 + 90);
  const bad = await cli("embed", "--store", store, "--trial", m2vae.key, "--views", "audio");
  assert.equal(bad.code, 1);
  assert.match(
    bad.stderr,
    /^error: --views: no view "audio" in this model \(views: common, attributes, image\)/,
  );
  const badMap = await cli("embed", "--store", store, "--trial", m2vae.key, "--map", "pca");
  assert.equal(badMap.code, 1);
  assert.match(badMap.stderr, /^error: --map: expected tsne or umap, got "pca"/);
});

Deno.test("figures: every figure as SVG with its Vega-Lite spec, captions.md, PNG on request", async () => {
  const out = join(dir, "figures");
  const r = await cli(
    "figures",
    "--store",
    store,
    "--experiment",
    "tiny",
    "--out",
    out,
    "--map-items",
    "40",
  );
  assert.equal(r.code, 0, r.stderr);
  const names = [...Deno.readDirSync(out)].map((f) => f.name).sort();
  for (
    const f of [
      "curves_synthetic",
      "losses_synthetic_m2vae",
      "losses_synthetic_m2vae-w-o-dcl",
      "grid_synthetic_m2vae",
      "diagnostics_synthetic",
      "fig4_synthetic",
      "fig5_synthetic",
    ]
  ) {
    assert.ok(names.includes(`${f}.svg`) && names.includes(`${f}.vl.json`), f);
  }
  const captions = await Deno.readTextFile(join(out, "captions.md"));
  assert.match(captions, /## Fig\. 4: common and unique latent views of cold items — synthetic/);
  assert.match(
    captions,
    /Fig\. 4\. t-SNE \(exact, @keckelt\/tsne 1\.0\.2, perplexity [\d.]+, 500 iterations, seed 0\) of the latent means/,
  );
  const umap = await cli(
    "figures",
    "--store",
    store,
    "--experiment",
    "tiny",
    "--out",
    join(dir, "umap"),
    "--map",
    "umap",
    "--map-items",
    "20",
  );
  assert.equal(umap.code, 0, umap.stderr);
  assert.match(
    await Deno.readTextFile(join(dir, "umap", "captions.md")),
    /Fig\. 4\. UMAP \(umap-js 1\.4, 15 neighbours, min_dist 0\.1, seed 0\) of the latent means/,
  );
  const png = await cli(
    "figures",
    "--store",
    store,
    "--experiment",
    "tiny",
    "--out",
    join(dir, "png"),
    "--png",
    "--no-models",
  );
  assert.equal(png.code, 0, png.stderr);
  const bytes = await Deno.readFile(join(dir, "png", "curves_synthetic.png"));
  assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.ok(![...Deno.readDirSync(join(dir, "png"))].some((f) => f.name.startsWith("fig")));
});

/** Debian's chromium, if installed. */
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => {
  try {
    return Deno.statSync(p).isFile;
  } catch {
    return false;
  }
});
const REQUIRED = Deno.env.get("M2VAE_BROWSER_TEST") === "required";
if (!CHROMIUM && !REQUIRED) {
  console.log(
    "analysis_cli_test: skipping the HTML report's browser test: no chromium installed " +
      "(apt-get install chromium; .ci/run does)",
  );
}

/** What the page check script reports. */
interface PageCheck {
  tables: { id: string; rows: number; cells: number; height: number }[];
  figures: { id: string; width: number; height: number; marks: number; caption: number }[];
  errors: string[];
}

/**
 * Loads `page` in headless chromium with a check script added (the page itself has none): the
 * tables and figures as laid out, and every error or blocked load. Also takes a screenshot.
 */
async function inBrowser(
  page: string,
  work: string,
): Promise<{ check: PageCheck; log: string; png: Uint8Array }> {
  const html = await Deno.readTextFile(page);
  const script = `<script>
const errors = [];
addEventListener("error", (e) => errors.push("error: " + (e.message || e.target?.outerHTML)), true);
document.addEventListener("securitypolicyviolation", (e) => errors.push("blocked: " + e.blockedURI));
addEventListener("load", () => {
  const tables = [...document.querySelectorAll("table.result")].map((t) => ({
    id: t.id, rows: t.tBodies[0] ? t.tBodies[0].rows.length : 0,
    cells: t.querySelectorAll("td").length, height: t.getBoundingClientRect().height }));
  const figures = [...document.querySelectorAll("figure.plot")].map((f) => {
    const s = f.querySelector("svg"), r = s ? s.getBoundingClientRect() : { width: 0, height: 0 };
    return { id: f.id, width: r.width, height: r.height,
      marks: s ? s.querySelectorAll("path, text, line").length : 0,
      caption: (f.querySelector("figcaption")?.textContent || "").length };
  });
  const pre = document.createElement("pre");
  pre.id = "page-check";
  pre.textContent = JSON.stringify({ tables, figures, errors });
  document.body.append(pre);
});
</script>`;
  const checked = join(work, "checked.html");
  await Deno.writeTextFile(
    checked,
    html.replace("default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';")
      .replace("<head>", `<head>\n${script}`),
  );
  const flags = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    `--user-data-dir=${join(work, "profile")}`,
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=5000",
  ];
  const run = async (args: string[]) => {
    const o = await new Deno.Command(CHROMIUM!, {
      args: [...flags, ...args],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    return { stdout: dec.decode(o.stdout), stderr: dec.decode(o.stderr) };
  };
  const dom = await run(["--dump-dom", `file://${checked}`]);
  const m = /<pre id="page-check">([\s\S]*?)<\/pre>/.exec(dom.stdout);
  assert.ok(m, `no check output from chromium: ${dom.stderr.slice(-2000)}`);
  const text = m[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  const shot = join(work, "report.png");
  const s = await run([
    "--hide-scrollbars",
    "--window-size=1280,2400",
    `--screenshot=${shot}`,
    `file://${page}`,
  ]);
  return { check: JSON.parse(text), log: dom.stderr + s.stderr, png: await Deno.readFile(shot) };
}

Deno.test("report --format html: one self-contained page per experiment", async () => {
  const r = await cli("report", "--store", store, "--format", "html", "--out", join(dir, "html"));
  assert.equal(r.code, 0, r.stderr);
  const page = join(dir, "html", "tiny.html");
  assert.equal(r.stdout.trim(), `tiny: ${page}`);
  const html = await Deno.readTextFile(page);
  assert.equal((html.match(/<table class="result"/g) ?? []).length, 5); // Table 3, Table 4, 2 grids, diagnostics
  assert.equal((html.match(/<figure class="plot"/g) ?? []).length, 8);
  assert.doesNotMatch(html, /<script|<link|<img|src=/);
});

Deno.test({
  name:
    "report --format html: in headless chromium every table and figure shows, no error, nothing blocked",
  ignore: !CHROMIUM && !REQUIRED,
  fn: async () => {
    assert.ok(CHROMIUM, "M2VAE_BROWSER_TEST=required but no chromium is installed");
    const work = await Deno.makeTempDir({ prefix: "browser_test_" });
    try {
      const page = join(dir, "html", "tiny.html");
      if (!(await Deno.stat(page).catch(() => null))) {
        assert.equal(
          (await cli("report", "--store", store, "--format", "html", "--out", join(dir, "html")))
            .code,
          0,
        );
      }
      const { check, log, png } = await inBrowser(page, work);
      assert.deepEqual(check.errors, []);
      assert.equal(check.tables.length, 5);
      for (const t of check.tables) {
        assert.ok(
          t.rows > 0 && t.cells > 0 && t.height > 20,
          `table ${t.id}: ${JSON.stringify(t)}`,
        );
      }
      assert.equal(check.figures.length, 8);
      for (const f of check.figures) {
        assert.ok(
          f.width > 100 && f.height > 50 && f.marks > 10 && f.caption > 50,
          `${f.id}: ${JSON.stringify(f)}`,
        );
      }
      assert.doesNotMatch(log, /Uncaught|Refused to|ERR_FILE_NOT_FOUND|CONSOLE\(\d+\).*[Ee]rror/);
      // The screenshot is a PNG of the laid-out page, not a blank one.
      assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      assert.ok(png.length > 50_000, `screenshot has only ${png.length} bytes`);
    } finally {
      await Deno.remove(work, { recursive: true });
    }
  },
});

Deno.test("the demo's store: figures and the HTML report", async () => {
  const demo = join(dir, "demo");
  const r = await cli(
    "demo",
    "--set",
    "settings.epochs=1",
    "--store",
    join(demo, "store.sqlite"),
    "--out",
    demo,
    "--quiet",
  );
  assert.equal(r.code, 0, r.stderr);
  const f = await cli(
    "figures",
    "--store",
    join(demo, "store.sqlite"),
    "--experiment",
    "demo",
    "--out",
    join(demo, "figures"),
  );
  assert.equal(f.code, 0, f.stderr);
  assert.match(f.stdout, /^demo: \d+ figures in .*curves_synthetic/);
  const h = await cli(
    "report",
    "--store",
    join(demo, "store.sqlite"),
    "--format",
    "html",
    "--out",
    demo,
  );
  assert.equal(h.code, 0, h.stderr);
  const html = await Deno.readTextFile(join(demo, "demo.html"));
  assert.match(html, /Table 3 layout \(item2user\)/);
  assert.match(html, /<figure class="plot" id="fig-curves_synthetic">/);
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
