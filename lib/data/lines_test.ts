import assert from "node:assert/strict";
import { DataError } from "./errors.ts";
import { forEachLine, readLines } from "./lines.ts";

Deno.test("forEachLine keeps 1-based numbers across CRLF, blank lines, BOM and a missing final newline", async () => {
  const dir = await Deno.makeTempDir();
  const f = `${dir}/a.txt`;
  await Deno.writeTextFile(f, "\ufeffa,b\r\n\r\nc,d\ne,f");
  const got = await readLines(f);
  assert.deepEqual(got, [
    { line: "a,b", lineNo: 1 },
    { line: "c,d", lineNo: 3 },
    { line: "e,f", lineNo: 4 },
  ]);
  const all = await readLines(f, { keepEmpty: true });
  assert.equal(all.length, 4);
  assert.equal(all[1].line, "");
});

Deno.test("forEachLine reads gzip and latin-1", async () => {
  const dir = await Deno.makeTempDir();
  const text = Array.from({ length: 5000 }, (_, k) => `row ${k}`).join("\n") + "\n";
  const gz = new Uint8Array(
    await new Response(
      new Blob([text]).stream().pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer(),
  );
  await Deno.writeFile(`${dir}/x.txt.gz`, gz);
  const seen: string[] = [];
  const n = await forEachLine(`${dir}/x.txt.gz`, (l) => seen.push(l));
  assert.equal(n, 5000);
  assert.equal(seen[4999], "row 4999");
  await Deno.writeFile(`${dir}/l1.txt`, new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x0a])); // "Café" in latin-1
  assert.equal((await readLines(`${dir}/l1.txt`, { encoding: "latin1" }))[0].line, "Café");
});

Deno.test("forEachLine on a missing file throws a DataError naming the path", async () => {
  await assert.rejects(
    () => forEachLine("/nonexistent/ratings.csv", () => {}),
    (e) => e instanceof DataError && /\/nonexistent\/ratings.csv: file not found/.test(e.message),
  );
});
