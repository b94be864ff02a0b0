import assert from "node:assert/strict";
import {
  detectDelimiter,
  parseCount,
  parseNumber,
  splitCsvLine,
  splitFields,
} from "./delimited.ts";
import { DataError } from "./errors.ts";

Deno.test("splitCsvLine handles quotes, commas and doubled quotes", () => {
  assert.deepEqual(splitCsvLine('11,"American President, The (1995)",Comedy|Drama'), [
    "11",
    "American President, The (1995)",
    "Comedy|Drama",
  ]);
  assert.deepEqual(splitCsvLine('1,"say ""hi""",'), ["1", 'say "hi"', ""]);
  assert.deepEqual(splitCsvLine("a,b"), ["a", "b"]);
  assert.throws(
    () => splitCsvLine('1,"open', { file: "m.csv", line: 4 }),
    (e) => e instanceof DataError && e.message === "m.csv:4: unterminated quoted field",
  );
});

Deno.test("splitFields and detectDelimiter", () => {
  assert.deepEqual(splitFields("1::2::5", "::"), ["1", "2", "5"]);
  assert.deepEqual(splitFields("  1   2\t3 ", "whitespace"), ["1", "2", "3"]);
  assert.equal(detectDelimiter("1\t2"), "\t");
  assert.equal(detectDelimiter("1::2"), "::");
  assert.equal(detectDelimiter("1,2"), ",");
  assert.equal(detectDelimiter("1 2"), "whitespace");
});

Deno.test("parseNumber and parseCount name the file, line and field", () => {
  assert.equal(parseNumber(" 4.5 ", { file: "r.csv" }), 4.5);
  assert.throws(
    () => parseNumber("five", { file: "r.csv", line: 3, field: "rating" }),
    (e) =>
      e instanceof DataError &&
      e.message === 'r.csv:3: field "rating": value is not a finite number: "five"',
  );
  assert.throws(() => parseNumber("NaN", { file: "r.csv" }), DataError);
  assert.throws(() => parseNumber("", { file: "r.csv" }), DataError);
  assert.equal(parseCount("12", { file: "x" }), 12);
  assert.throws(() => parseCount("-1", { file: "x" }), DataError);
});
