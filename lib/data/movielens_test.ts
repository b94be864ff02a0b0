import assert from "node:assert/strict";
import { itemTokens } from "./dataset.ts";
import { DataError } from "./errors.ts";
import { loadMovieLens, loadMovieLensWithReport } from "./movielens.ts";

function names(ds: Awaited<ReturnType<typeof loadMovieLens>>, id: string): string[] {
  const i = ds.itemIds.indexOf(id);
  return Array.from(itemTokens(ds.attributes, i)).map((t) => ds.attributes.vocab[t]);
}

Deno.test("movielens csv: quoted titles, no-genre movies, unrated movies dropped, tags, threshold", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/ratings.csv`,
    "userId,movieId,rating,timestamp\n1,11,4.0,1\n1,12,3.0,2\n2,11,5.0,3\n2,13,0.5,4\n",
  );
  await Deno.writeTextFile(
    `${dir}/movies.csv`,
    'movieId,title,genres\n11,"American President, The (1995)",Comedy|Drama|Romance\n' +
      "12,Heat (1995),Action|Crime\n13,Odd (2000),(no genres listed)\n14,Unrated (2001),Drama\n",
  );
  await Deno.writeTextFile(
    `${dir}/tags.csv`,
    "userId,movieId,tag,timestamp\n1,11,Politics,5\n2,11,politics,6\n1,14,x,7\n",
  );
  const { dataset: ds, report } = await loadMovieLensWithReport(dir, { tags: true });
  assert.deepEqual(ds.itemIds, ["11", "12", "13"]);
  assert.equal(ds.interactions.users.length, 4);
  assert.deepEqual(names(ds, "11"), ["Comedy", "Drama", "Romance", "tag:politics"]);
  assert.deepEqual(names(ds, "13"), []);
  assert.equal(report.skipped["tag rows for movies without kept ratings"], 1);
  assert.match(report.notes.join("\n"), /1 movies without kept ratings dropped/);
  const hi = await loadMovieLens(dir, { ratingThreshold: 4 });
  assert.deepEqual([hi.userIds, hi.itemIds, hi.interactions.users.length], [["1", "2"], ["11"], 2]);
  assert.equal(hi.name, dir.split("/").pop());
});

Deno.test("movielens 100k (u.data + u.item flags, latin-1) and 1m (:: files)", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/u.data`,
    "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t302\t1\t1\n",
  );
  const flags = (on: number[]) =>
    Array.from({ length: 19 }, (_, g) => (on.includes(g) ? "1" : "0")).join("|");
  const item = new TextEncoder().encode(
    `242|Kolya (1996)|24-Jan-1997||http://x|${
      flags([5])
    }\n302|L.A. Confidential|01-Jan-1997||http://y|${flags([6, 10, 16])}\n`,
  );
  const latin = Uint8Array.from([
    ...new TextEncoder().encode("999|Caf"),
    0xe9,
    ...new TextEncoder().encode(`||| |${flags([0])}\n`),
  ]);
  const bytes = new Uint8Array(item.length + latin.length);
  bytes.set(item);
  bytes.set(latin, item.length);
  await Deno.writeFile(`${dir}/u.item`, bytes);
  const k = await loadMovieLens(dir);
  assert.deepEqual(k.itemIds, ["242", "302"]);
  assert.deepEqual(names(k, "302"), ["Crime", "Film-Noir", "Thriller"]);
  assert.deepEqual(names(k, "242"), ["Comedy"]);
  await assert.rejects(() => loadMovieLens(dir, { tags: true }), /ml-100k has no tags file/);

  const m = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${m}/ratings.dat`,
    "1::1193::5::978300760\n1::661::3::978302109\n2::1193::2::1\n",
  );
  await Deno.writeFile(
    `${m}/movies.dat`,
    Uint8Array.from([
      ...new TextEncoder().encode("1193::One Flew (1975)::Drama\n661::Jam"),
      0xe9,
      ...new TextEncoder().encode("s (1996)::Animation|Children's|Musical\n"),
    ]),
  );
  const one = await loadMovieLens(m, { ratingThreshold: 3 });
  assert.deepEqual([one.userIds, one.itemIds], [["1"], ["1193", "661"]]);
  assert.deepEqual(names(one, "661"), ["Animation", "Children's", "Musical"]);
});

Deno.test("movielens errors: not a MovieLens folder, bad rating, empty movies file", async () => {
  const dir = await Deno.makeTempDir();
  await assert.rejects(
    () => loadMovieLens(dir),
    (e) => e instanceof DataError && /ratings\.csv: file not found/.test(e.message),
  );
  await Deno.writeTextFile(`${dir}/ratings.csv`, "userId,movieId,rating,timestamp\n1,2,five,3\n");
  await Deno.writeTextFile(`${dir}/movies.csv`, "");
  await assert.rejects(
    () => loadMovieLens(dir),
    /ratings\.csv:2: field "rating": value is not a finite number: "five"/,
  );
  await Deno.writeTextFile(`${dir}/ratings.csv`, "userId,movieId,rating,timestamp\n1,2,5,3\n");
  await assert.rejects(() => loadMovieLens(dir), /movies\.csv: no movies \(empty file\?\)/);
});
