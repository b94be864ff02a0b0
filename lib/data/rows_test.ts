import assert from "node:assert/strict";
import { join } from "node:path";
import { DataError } from "./errors.ts";
import { forEachRow, HEADER_FIELD } from "./rows.ts";

async function rows(text: string, opts: Parameters<typeof forEachRow>[1]) {
  const dir = await Deno.makeTempDir({ prefix: "rows_test_" });
  try {
    const file = join(dir, "f.txt");
    await Deno.writeTextFile(file, text);
    const out: [number, string[]][] = [];
    await forEachRow(file, opts, (f, line) => void out.push([line, f]));
    return out;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const byId = (f: string[]) => HEADER_FIELD.test(f[0] ?? "");

Deno.test("forEachRow: detects the delimiter, skips a header and numbers lines from 1", async () => {
  assert.deepEqual(await rows("user_id::item_id\nu1::i1\nu2::i2\n", { looksLikeHeader: byId }), [
    [2, ["u1", "i1"]],
    [3, ["u2", "i2"]],
  ]);
  // No header: the first line is a row.
  assert.deepEqual(await rows("u1,i1\n", { looksLikeHeader: byId }), [[1, ["u1", "i1"]]]);
  // header: true skips whatever the first line is; false keeps it; a given delimiter is used.
  assert.deepEqual(
    await rows("a b\nu1 i1\n", { header: true, looksLikeHeader: () => false }),
    [[2, ["u1", "i1"]]],
  );
  assert.deepEqual(
    await rows("user\titem\n", { header: false, delimiter: "\t", looksLikeHeader: byId }),
    [[1, ["user", "item"]]],
  );
});

Deno.test("forEachRow: a malformed line is a DataError naming the file and line", async () => {
  await assert.rejects(
    () => rows('u,i\n"u1,i1\n', { header: true, looksLikeHeader: byId }),
    (e: unknown) => e instanceof DataError && /f\.txt:2: unterminated quoted field/.test(e.message),
  );
});
