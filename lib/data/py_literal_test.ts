import assert from "node:assert/strict";
import { parseJsonOrPy, parsePyLiteral } from "./py_literal.ts";

Deno.test("parsePyLiteral reads an Amazon 2014 metadata line", () => {
  const line = `{'asin': '0000031852', 'title': "Girls' Ballet Tutu", 'price': 3.17, ` +
    `'salesRank': {'Sports &amp; Outdoors': 8547}, 'related': {'also_bought': ('B00', 'B01')}, ` +
    `'categories': [['Sports & Outdoors', 'Other Sports', 'Dance']], 'flag': True, 'x': None, ` +
    `'esc': 'it\\'s \\xe9\\u00e9\\n', 'neg': -1.5e2}`;
  assert.deepEqual(parsePyLiteral(line), {
    asin: "0000031852",
    title: "Girls' Ballet Tutu",
    price: 3.17,
    salesRank: { "Sports &amp; Outdoors": 8547 },
    related: { also_bought: ["B00", "B01"] },
    categories: [["Sports & Outdoors", "Other Sports", "Dance"]],
    flag: true,
    x: null,
    esc: "it's éé\n",
    neg: -150,
  });
});

Deno.test("parsePyLiteral rejects code and malformed input", () => {
  assert.throws(() => parsePyLiteral("__import__('os')"), SyntaxError);
  assert.throws(() => parsePyLiteral("{'a': 1"), SyntaxError);
  assert.throws(() => parsePyLiteral("{'a' 1}"), SyntaxError);
  assert.throws(() => parsePyLiteral("'open"), /unterminated string/);
  assert.throws(() => parsePyLiteral("[1, 2] extra"), /trailing characters/);
});

Deno.test("parseJsonOrPy prefers JSON", () => {
  assert.deepEqual(parseJsonOrPy('{"a": [true, null]}'), { a: [true, null] });
  assert.deepEqual(parseJsonOrPy("{'a': [True, None]}"), { a: [true, null] });
});
