/**
 * Renders report tables and figures as one self-contained HTML page: tables as `<table>` with
 * their captions (best bold, second-best underlined, the selected grid cell marked ◀), figures
 * as inline SVG with captions, styles inline, no script and nothing loaded from elsewhere (a
 * Content-Security-Policy forbids it, so the page opens offline exactly as it would online).
 *
 * @module
 */
import { type Cell, columnGroups, type Table } from "./table_model.ts";

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) =>
      c === "&"
        ? "&amp;"
        : c === "<"
        ? "&lt;"
        : c === ">"
        ? "&gt;"
        : c === '"'
        ? "&quot;"
        : "&#39;",
  );
}

function htmlCell(c: Cell): string {
  let t = escapeHtml(c.text);
  if (c.sig) t += `<sup>${escapeHtml(c.sig)}</sup>`;
  if (c.selected) t += " ◀";
  if (c.mark === "best") t = `<strong>${t}</strong>`;
  else if (c.mark === "second") t = `<u>${t}</u>`;
  const cls = [c.mark ?? "", c.selected ? "selected" : ""].filter(Boolean).join(" ");
  return `<td${cls ? ` class="${cls}"` : ""}>${t}</td>`;
}

/**
 * One table as `<table class="result">` in a `<figure class="table">` whose `<figcaption>` holds
 * its title and caption (a figcaption, unlike a table's own caption, may be wider than the
 * table).
 */
export function renderHtmlTable(t: Table, id = ""): string {
  const groups = columnGroups(t.columns);
  const grouped = groups.some((g) => g.name);
  const head: string[] = [];
  if (grouped) {
    head.push(
      `<tr><th rowspan="2">${escapeHtml(t.corner)}</th>${
        groups.map((g) => `<th colspan="${g.span}" class="group">${escapeHtml(g.name)}</th>`)
          .join("")
      }</tr>`,
      `<tr>${t.columns.map((c) => `<th>${escapeHtml(c.name)}</th>`).join("")}</tr>`,
    );
  } else {
    head.push(
      `<tr><th>${escapeHtml(t.corner)}</th>${
        t.columns.map((c) => `<th>${escapeHtml(c.name)}</th>`).join("")
      }</tr>`,
    );
  }
  const body = t.rows.map((r) =>
    r.kind === "section"
      ? `<tr class="section"><th colspan="${t.columns.length + 1}">${escapeHtml(r.label)}</th></tr>`
      : `<tr${r.summary ? ' class="summary"' : ""}><th>${escapeHtml(r.label)}</th>${
        r.cells.map(htmlCell).join("")
      }</tr>`
  );
  return `<figure class="table"${id ? ` id="${escapeHtml(id)}"` : ""}>
<figcaption><b>${escapeHtml(t.title)}.</b> ${escapeHtml(t.caption)}</figcaption>
<div class="scroll">
<table class="result" aria-label="${escapeHtml(t.title)}">
<thead>${head.join("\n")}</thead>
<tbody>
${body.join("\n")}
</tbody>
</table>
</div>
</figure>`;
}

/** A figure of the page: its rendered SVG and caption. */
export interface HtmlFigure {
  name: string;
  title: string;
  caption: string;
  svg: string;
}

/** What a page shows. */
export interface HtmlPage {
  /** Page heading, e.g. the experiment name. */
  title: string;
  /** Paragraphs under the heading (description, provenance). */
  intro: string[];
  tables: Table[];
  figures: HtmlFigure[];
  /** Remarks, e.g. figures left out and why. */
  notes: string[];
}

const STYLE = `
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 2em auto;
  max-width: 1200px; padding: 0 1em; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05em; margin: 1.5em 0 0.3em; }
nav ul { columns: 2; font-size: 0.9em; }
figure.table { margin: 1em 0 2em; }
figure.table figcaption { font-size: 0.85em; max-width: 1100px; padding-bottom: 0.5em; }
table.result { border-collapse: collapse; font-size: 0.85em; }
table.result th, table.result td { padding: 0.2em 0.6em; border-bottom: 1px solid #e4e4e4; }
table.result td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.result thead th { border-bottom: 2px solid #888; }
table.result th.group { text-align: center; }
table.result tbody th { text-align: left; font-weight: normal; white-space: nowrap; }
table.result tr.section th { font-style: italic; background: #f4f4f4; }
table.result tr:not(.summary) + tr.summary { border-top: 2px solid #888; }
table.result td.selected { background: #fff3c4; }
.scroll { overflow-x: auto; }
figure.plot { margin: 1em 0 2em; }
figure.plot .svg { overflow-x: auto; }
figure.plot figcaption { font-size: 0.9em; max-width: 1100px; }
.notes li { color: #8a4b00; }
`;

/**
 * The whole page. Table and figure elements carry the classes `result` and `plot`; section
 * ids are `tables`, `figures` and `notes`.
 */
export function renderHtmlPage(p: HtmlPage): string {
  const toc = [
    ...p.tables.map((t, i) => `<li><a href="#table-${i + 1}">${escapeHtml(t.title)}</a></li>`),
    ...p.figures.map((f) =>
      `<li><a href="#fig-${escapeHtml(f.name)}">${escapeHtml(f.title)}</a></li>`
    ),
  ];
  const tables = p.tables.map((t, i) => renderHtmlTable(t, `table-${i + 1}`));
  const figures = p.figures.map((f) =>
    `<figure class="plot" id="fig-${escapeHtml(f.name)}">
<div class="svg">${f.svg.replace(/^<\?xml[^>]*>\s*/, "")}</div>
<figcaption><b>${escapeHtml(f.title)}.</b> ${escapeHtml(f.caption)} <i>(figure ${
      escapeHtml(f.name)
    }; its Vega-Lite spec: ${escapeHtml(f.name)}.vl.json from the figures command)</i></figcaption>
</figure>`
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(p.title)}</h1>
${p.intro.map((x) => `<p>${escapeHtml(x)}</p>`).join("\n")}
<nav><ul>
${toc.join("\n")}
</ul></nav>
<section id="tables">
<h2>Tables</h2>
${tables.join("\n") || "<p>No tables.</p>"}
</section>
<section id="figures">
<h2>Figures</h2>
${figures.join("\n") || "<p>No figures.</p>"}
</section>
${
    p.notes.length
      ? `<section id="notes">\n<h2>Notes</h2>\n<ul class="notes">\n${
        p.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("\n")
      }\n</ul>\n</section>\n`
      : ""
  }</body>
</html>
`;
}
