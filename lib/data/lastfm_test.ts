import assert from "node:assert/strict";
import { getModality, itemTokens } from "./dataset.ts";
import { loadLastfm, loadLastfmWithReport } from "./lastfm.ts";
import { encodeNpy } from "./npy.ts";

async function fixture(): Promise<string> {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/lfm2k.inter`,
    "userID\titemID\trating\tx_label\n0\t0\t1\t0\n0\t1\t1\t1\n1\t2\t1\t2\n1\t0\t1\t0\n",
  );
  await Deno.writeTextFile(
    `${dir}/item_map.tsv`,
    "itemID\tartistID\tname\n1\t66\tFaithless\n0\t80\tGroove Armada\n2\t5\tX\n",
  );
  await Deno.writeTextFile(
    `${dir}/lfm2k_text.tsv`,
    "artistID\ttext\n80\tdance,electronic,chill\n66\telectronic,dance,dance\n5\trock\n999\trock,dance\n",
  );
  await Deno.writeFile(
    `${dir}/vggish.npy`,
    encodeNpy([0, 0.5, 1, 1.5, 2, 2.5], [3, 2], { descr: "<f8" }),
  );
  await Deno.writeFile(`${dir}/whisper.npy`, encodeNpy([1, 2, 3], [3, 1]));
  await Deno.writeFile(`${dir}/all-MiniLM-L6-v2.npy`, encodeNpy([7, 8, 9], [3, 1]));
  return dir;
}

Deno.test("lastfm: all x_labels kept, tags via artistID with a frequency cut, npy rows = itemID", async () => {
  const dir = await fixture();
  const { dataset: ds, report } = await loadLastfmWithReport(dir, { minTagFreq: 2 });
  assert.equal(ds.name, "lastfm-2k-multimodal");
  assert.deepEqual(ds.itemIds, ["0", "1", "2"]);
  assert.equal(ds.interactions.users.length, 4);
  assert.deepEqual(ds.attributes.vocab, ["dance", "electronic"]);
  assert.equal(itemTokens(ds.attributes, 2).length, 0);
  assert.deepEqual(ds.modalities.map((m) => m.name), ["vggish", "whisper"]);
  assert.deepEqual(Array.from(getModality(ds, "vggish").data), [0, 0.5, 1, 1.5, 2, 2.5]);
  assert.equal(report.skipped["text rows of artists outside the item set"], 1);
  const m = await loadLastfm(dir, { modalities: ["minilm"], minTagFreq: 1 });
  assert.deepEqual(m.modalities.map((x) => [x.name, x.dim]), [["minilm", 1]]);
  assert.equal(m.attributes.vocab.length, 4);
});

Deno.test("lastfm errors: unknown modality, wrong npy row count, duplicate artist", async () => {
  const dir = await fixture();
  await assert.rejects(
    () => loadLastfm(dir, { modalities: ["resnet"] }),
    /unknown modality "resnet"/,
  );
  await Deno.writeFile(`${dir}/whisper.npy`, encodeNpy([1, 2], [2, 1]));
  await assert.rejects(
    () => loadLastfm(dir),
    /whisper\.npy: field "shape": expected \(3, dim\), got \(2, 1\)/,
  );
  await Deno.writeTextFile(`${dir}/item_map.tsv`, "itemID\tartistID\tname\n0\t80\ta\n1\t80\tb\n");
  await assert.rejects(
    () => loadLastfm(dir),
    /item_map\.tsv:3: field "artistID": duplicate artistID 80/,
  );
});
