import assert from "node:assert/strict";
import { datasetStats } from "./dataset.ts";
import { DataError } from "./errors.ts";
import { type DatasetSpec, loadDataset, realDatasetSpecs } from "./registry.ts";

Deno.test("registry: synthetic and generic specs load; name and source are recorded", async () => {
  const syn = await loadDataset({
    kind: "synthetic",
    seed: 3,
    users: 60,
    items: 40,
    interactionsPerUser: [3, 6],
  });
  assert.equal(syn.name, "synthetic");
  assert.equal(syn.source, "synthetic(seed=3)");
  assert.equal(datasetStats(syn).users, 60);
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/x.csv`, "user,item\na,1\nb,2\n");
  const g = await loadDataset({ kind: "generic", interactions: `${dir}/x.csv`, name: "tiny" });
  assert.deepEqual([g.name, g.source, g.interactions.users.length], ["tiny", `${dir}/x.csv`, 2]);
});

Deno.test("registry: missing files are DataErrors naming the path; unknown kinds are TypeErrors", async () => {
  const specs: DatasetSpec[] = [
    { kind: "lastfm-2k-multimodal", path: "/nowhere/lfm" },
    { kind: "amazon-s3rec", path: "/nowhere/s3" },
    { kind: "movielens", path: "/nowhere/ml" },
    { kind: "citeulike-a", path: "/nowhere/cul" },
    { kind: "amazon2014", reviews: "/nowhere/r.json.gz" },
  ];
  for (const spec of specs) {
    await assert.rejects(
      () => loadDataset(spec),
      (e) => e instanceof DataError && /^\/nowhere\/\S+: file not found/.test(e.message),
    );
  }
  await assert.rejects(() => loadDataset({ kind: "nope" } as unknown as DatasetSpec), TypeError);
});

Deno.test("realDatasetSpecs lists the four shared sets under the root", () => {
  const specs = realDatasetSpecs("../shared/data/");
  assert.deepEqual(specs.map((s) => s.name), [
    "lastfm-2k-multimodal",
    "amazon-sports",
    "ml-latest-small",
    "citeulike-a",
  ]);
  assert.deepEqual(specs.map((s) => (s.spec as { path: string }).path), [
    "../shared/data/lastfm-2k-multimodal",
    "../shared/data/amazon-s3rec",
    "../shared/data/ml-latest-small",
    "../shared/data/citeulike-a",
  ]);
});

Deno.test("registry: a spec without its loader's required key is a DataError naming the key", async () => {
  for (
    const [spec, key] of [
      [{ kind: "movielens" }, "path"],
      [{ kind: "citeulike-a", path: "" }, "path"],
      [{ kind: "generic", path: "ratings.csv" }, "interactions"],
      [{ kind: "amazon2014" }, "reviews"],
    ] as const
  ) {
    await assert.rejects(
      () => loadDataset(spec as unknown as DatasetSpec),
      (e) =>
        e instanceof DataError && e.location.field === key &&
        !/Cannot read properties/.test(e.message),
      JSON.stringify(spec),
    );
  }
});
