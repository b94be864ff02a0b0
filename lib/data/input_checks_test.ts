/**
 * The loaders' input checks that used to let bad data through: bytes that are not UTF-8 text,
 * feature magnitudes that overflow float32 training, `strict: true` with an item of the
 * interactions missing from a feature file's item map, and a one-column item map's header line.
 */
import assert from "node:assert/strict";
import { DataError } from "./errors.ts";
import { loadGeneric } from "./generic.ts";
import { notText } from "./lines.ts";
import { encodeNpy } from "./npy.ts";

async function files(entries: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "input_checks_" });
  for (const [name, v] of Object.entries(entries)) {
    if (typeof v === "string") await Deno.writeTextFile(`${dir}/${name}`, v);
    else await Deno.writeFile(`${dir}/${name}`, v);
  }
  return dir;
}

const INTER = "u1\ti1\nu1\ti2\nu2\ti2\nu2\ti3\n";

async function rejects(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DataError, String(e));
    assert.match(e.message, re);
    assert.ok(!e.message.includes("\n"));
    return true;
  });
}

Deno.test("notText: NUL bytes and undecodable UTF-8 are named; latin-1 text is text", () => {
  assert.equal(notText("u1\ti1"), undefined);
  assert.match(notText("a\0b")!, /binary data \(a NUL byte at column 2\)/);
  assert.match(notText("caf\uFFFD")!, /not valid UTF-8 at column 4/);
  assert.equal(notText("caf\uFFFD", "latin1"), undefined);
});

Deno.test("generic: a bad-UTF-8 attribute row and a binary interactions file name file and line", async () => {
  const dir = await files({ "inter.tsv": INTER, "bin.tsv": new Uint8Array([0x75, 0, 0xff, 10]) });
  await Deno.writeFile(
    `${dir}/attrs.tsv`,
    new Uint8Array([...new TextEncoder().encode("i1\trock\ni2\tjazz"), 0xc3, 0x28, 10]),
  );
  await rejects(
    loadGeneric({ interactions: `${dir}/inter.tsv`, attributes: `${dir}/attrs.tsv` }),
    new RegExp(`^${dir}/attrs.tsv:2: not valid UTF-8 at column 8`),
  );
  await rejects(
    loadGeneric({ interactions: `${dir}/bin.tsv` }),
    new RegExp(`^${dir}/bin.tsv:1: binary data`),
  );
});

Deno.test("generic: a feature of magnitude 1e38 is refused, naming the file and the row", async () => {
  const dir = await files({
    "inter.tsv": INTER,
    "img.npy": encodeNpy([1, 2, 3, 1e38, 5, 6], [3, 2]),
    "map.txt": "i1\ni2\ni3\n",
  });
  await rejects(
    loadGeneric({
      interactions: `${dir}/inter.tsv`,
      modalities: [{ name: "image", path: `${dir}/img.npy`, itemMap: `${dir}/map.txt` }],
    }),
    /img\.npy: field "row 1, column 1": value 9\.99.*e\+37 is beyond ±1000000000000/,
  );
});

Deno.test("generic: strict means every item of the interactions has a feature row", async () => {
  const dir = await files({
    "inter.tsv": INTER,
    "img.npy": encodeNpy([1, 2, 3, 4], [2, 2]),
    "map.txt": "item\ni1\ni2\n",
  });
  const spec = {
    interactions: `${dir}/inter.tsv`,
    modalities: [{ name: "image", path: `${dir}/img.npy`, itemMap: `${dir}/map.txt` }],
  };
  // Lenient (the default): i3 gets a zero row. The map's first line `item` is its header.
  const ds = await loadGeneric(spec);
  assert.deepEqual(Array.from(ds.modalities[0].data), [1, 2, 3, 4, 0, 0]);
  await rejects(
    loadGeneric({ ...spec, strict: true }),
    new RegExp(
      `^${dir}/map.txt: field "item": no row for item "i3" of the interactions ` +
        `\\(${dir}/inter.tsv:4\\); strict: true needs a row for every item$`,
    ),
  );
});
