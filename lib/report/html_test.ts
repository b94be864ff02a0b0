import assert from "node:assert/strict";
import { escapeHtml, renderHtmlPage, renderHtmlTable } from "./html.ts";
import type { Table } from "./table_model.ts";

const TABLE: Table = {
  title: "Table 3 <layout>",
  caption: "Protocol: item2user & friends. Seeds: 1, 2.",
  corner: "Model",
  columns: [{ group: "lastfm", name: "HR@5" }, { group: "lastfm", name: "NDCG@5" }],
  rows: [
    { kind: "section", label: "Ours" },
    {
      kind: "row",
      label: "M2VAE",
      cells: [
        { text: "0.1 ± 0.0", value: { mean: 0.1, std: 0, n: 2 }, mark: "best", sig: "*" },
        { text: "0.2", mark: "second", selected: true },
      ],
    },
    { kind: "row", label: "Impr.", summary: true, cells: [{ text: "+3%" }, { text: "–" }] },
  ],
};

Deno.test("renderHtmlTable: caption, grouped header, sections, marks and escaping", () => {
  const html = renderHtmlTable(TABLE, "t1");
  assert.match(html, /^<figure class="table" id="t1">/);
  assert.match(
    html,
    /<figcaption><b>Table 3 &lt;layout&gt;\.<\/b> Protocol: item2user &amp; friends\. Seeds: 1, 2\.<\/figcaption>/,
  );
  assert.match(html, /<table class="result" aria-label="Table 3 &lt;layout&gt;">/);
  assert.match(html, /<th rowspan="2">Model<\/th><th colspan="2" class="group">lastfm<\/th>/);
  assert.match(html, /<tr class="section"><th colspan="3">Ours<\/th><\/tr>/);
  assert.match(html, /<td class="best"><strong>0\.1 ± 0\.0<sup>\*<\/sup><\/strong><\/td>/);
  assert.match(html, /<td class="second selected"><u>0\.2 ◀<\/u><\/td>/);
  assert.match(html, /<tr class="summary"><th>Impr\.<\/th><td>\+3%<\/td>/);
  assert.equal(
    escapeHtml(`<a href="x">'&'</a>`),
    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
  );
});

Deno.test("renderHtmlPage: tables, inline figures and notes in one page that loads nothing", () => {
  const page = renderHtmlPage({
    title: "m2vae report: x",
    intro: ["Experiment x."],
    tables: [TABLE],
    figures: [{ name: "curves_x", title: "Curves", caption: "A caption.", svg: "<svg></svg>" }],
    notes: ["Fig. 4: no checkpoint"],
  });
  assert.match(page, /^<!doctype html>/);
  assert.match(page, /default-src 'none'/);
  assert.match(
    page,
    /<figure class="plot" id="fig-curves_x">\n<div class="svg"><svg><\/svg><\/div>/,
  );
  assert.match(page, /<a href="#table-1">Table 3 &lt;layout&gt;<\/a>/);
  assert.match(page, /<section id="notes">[\s\S]*Fig\. 4: no checkpoint/);
  assert.doesNotMatch(page, /<script|<link/);
});
