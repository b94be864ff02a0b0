import assert from "node:assert/strict";
import { loadAmazon2014, loadAmazon2014WithReport } from "./amazon2014.ts";
import { readAmazonImageFeatures } from "./amazon_images.ts";
import { getModality, itemTokens } from "./dataset.ts";
import { DataError } from "./errors.ts";

/** Binary records: 10-byte ASIN + dim little-endian float32. */
function imageFile(records: [string, number[]][]): Uint8Array {
  const dim = records[0][1].length;
  const out = new Uint8Array(records.length * (10 + 4 * dim));
  const view = new DataView(out.buffer);
  records.forEach(([asin, vals], r) => {
    const off = r * (10 + 4 * dim);
    out.set(new TextEncoder().encode(asin.padEnd(10, " ")), off);
    vals.forEach((v, c) => view.setFloat32(off + 10 + 4 * c, v, true));
  });
  return out;
}

async function gzip(text: string): Promise<Uint8Array> {
  const s = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(s).arrayBuffer());
}

async function fixture(): Promise<string> {
  const dir = await Deno.makeTempDir();
  const reviews = [
    { reviewerID: "R1", asin: "A000000001", overall: 5.0 },
    { reviewerID: "R1", asin: "A000000002", overall: 2.0 },
    { reviewerID: "R2", asin: "A000000002", overall: 4.0 },
    { reviewerID: "R2", asin: "A000000003", overall: 3.0 },
  ].map((r) => JSON.stringify(r)).join("\n");
  await Deno.writeFile(`${dir}/reviews_Toy_5.json.gz`, await gzip(reviews + "\n"));
  await Deno.writeTextFile(
    `${dir}/meta_Toy.json`,
    `{'asin': 'A000000001', 'categories': [['Toys', 'Dolls'], ['Toys', 'Gifts']], 'brand': 'Acme', 'title': "It's"}\n` +
      `{"asin": "A000000002", "categories": [["Toys"]]}\n` +
      `{'asin': 'ZZZ0000000', 'categories': [['Other']]}\n`,
  );
  await Deno.writeFile(
    `${dir}/img.b`,
    imageFile([["ZZZ0000000", [9, 9, 9]], ["A000000002", [1, 2, 3]], ["A000000001", [4, 5, 6]]]),
  );
  return dir;
}

Deno.test("amazon2014: gz reviews, python-literal and JSON metadata, streamed image features", async () => {
  const dir = await fixture();
  const { dataset: ds, report } = await loadAmazon2014WithReport({
    reviews: `${dir}/reviews_Toy_5.json.gz`,
    meta: `${dir}/meta_Toy.json`,
    images: `${dir}/img.b`,
    imageDim: 3,
    imageChunkSize: 7, // records are 22 bytes: every record straddles chunks
  });
  assert.equal(ds.name, "amazon-Toy_5");
  assert.deepEqual([ds.userIds, ds.itemIds], [["R1", "R2"], [
    "A000000001",
    "A000000002",
    "A000000003",
  ]]);
  const toks = (i: number) =>
    Array.from(itemTokens(ds.attributes, i)).map((t) => ds.attributes.vocab[t]);
  assert.deepEqual(toks(0), ["Toys", "Dolls", "Gifts", "brand:Acme"]);
  assert.deepEqual(toks(1), ["Toys"]);
  assert.deepEqual(toks(2), []);
  assert.deepEqual(Array.from(getModality(ds, "image").data), [4, 5, 6, 1, 2, 3, 0, 0, 0]);
  assert.equal(report.missingFeatureRows.image, 1);
  assert.equal(report.skipped["attribute rows for unknown items"], 1);
  const hi = await loadAmazon2014({ reviews: `${dir}/reviews_Toy_5.json.gz`, ratingThreshold: 4 });
  assert.deepEqual([hi.itemIds, hi.interactions.users.length], [["A000000001", "A000000002"], 2]);
});

Deno.test("amazon image stream: chunk sizes do not change the result; truncation and duplicates fail", async () => {
  const dir = await Deno.makeTempDir();
  const recs: [string, number[]][] = Array.from(
    { length: 9 },
    (_, r) => [`B${String(r).padStart(9, "0")}`, [r, -r, r / 2, 1]],
  );
  await Deno.writeFile(`${dir}/i.b`, imageFile(recs));
  const index = new Map(recs.map(([a], r) => [a, r]));
  const whole = await readAmazonImageFeatures(`${dir}/i.b`, (a) => index.get(a), 9, { dim: 4 });
  for (const chunkSize of [1, 3, 26, 1000]) {
    const got = await readAmazonImageFeatures(`${dir}/i.b`, (a) => index.get(a), 9, {
      dim: 4,
      chunkSize,
    });
    assert.deepEqual(got, whole);
  }
  assert.equal(whole.records, 9);
  assert.equal(whole.missing, 0);
  assert.deepEqual(Array.from(whole.data.subarray(8 * 4)), [8, -8, 4, 1]);
  await Deno.writeFile(`${dir}/t.b`, imageFile(recs).subarray(0, -5));
  await assert.rejects(
    () => readAmazonImageFeatures(`${dir}/t.b`, (a) => index.get(a), 9, { dim: 4, chunkSize: 5 }),
    (e) => e instanceof DataError && /t\.b: truncated record 9: 21 of 26 bytes/.test(e.message),
  );
  await Deno.writeFile(`${dir}/d.b`, imageFile([recs[0], recs[1], recs[0]]));
  await assert.rejects(
    () => readAmazonImageFeatures(`${dir}/d.b`, (a) => index.get(a), 9, { dim: 4 }),
    /d\.b: field "record 3": duplicate ASIN "B000000000"/,
  );
  await Deno.writeFile(`${dir}/n.b`, imageFile([["B000000000", [1, NaN, 0, 0]]]));
  await assert.rejects(
    () => readAmazonImageFeatures(`${dir}/n.b`, (a) => index.get(a), 9, { dim: 4 }),
    /non-finite value NaN/,
  );
});

Deno.test("amazon2014 errors: bad lines, missing fields, non-numeric rating, missing file", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/r.json`,
    '{"reviewerID": "R1", "asin": "A1", "overall": 5}\nnot a record\n',
  );
  await assert.rejects(
    () => loadAmazon2014({ reviews: `${dir}/r.json` }),
    /r\.json:2: neither JSON nor a Python literal/,
  );
  await Deno.writeTextFile(`${dir}/m.json`, '{"asin": "A1"}\n');
  await assert.rejects(
    () => loadAmazon2014({ reviews: `${dir}/m.json` }),
    /m\.json:1: field "reviewerID": missing or not a string/,
  );
  await Deno.writeTextFile(`${dir}/o.json`, '{"reviewerID": "R1", "asin": "A1", "overall": "x"}\n');
  await assert.rejects(
    () => loadAmazon2014({ reviews: `${dir}/o.json` }),
    /o\.json:1: field "overall": rating is not a number: "x"/,
  );
  await Deno.writeTextFile(`${dir}/ok.json`, '{"reviewerID": "R1", "asin": "A1", "overall": 5}\n');
  await Deno.writeTextFile(`${dir}/meta.json`, "{'asin': 'A1', 'categories': 'Toys'}\n");
  await assert.rejects(
    () => loadAmazon2014({ reviews: `${dir}/ok.json`, meta: `${dir}/meta.json` }),
    /meta\.json:1: field "categories": not a list/,
  );
  await assert.rejects(
    () => loadAmazon2014({ reviews: `${dir}/ok.json`, images: `${dir}/none.b` }),
    /none\.b: file not found/,
  );
});
