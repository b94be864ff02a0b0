/**
 * Renders a {@linkcode Table} as markdown (bold best, underlined second-best, section rows in
 * italics), CSV (one line per cell with its numbers and marks) or LaTeX (booktabs, a
 * `\multicolumn` group per dataset, `\textbf` / `\underline`).
 *
 * @module
 */
import { stringify } from "csv-stringify/sync";
import { markdownTable } from "markdown-table";
import { type Cell, columnGroups, type Table } from "./table_model.ts";

/** Output formats of reports. */
export type ReportFormat = "md" | "csv" | "latex";

function escapeMd(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function mdCell(c: Cell): string {
  let t = escapeMd(c.text) + (c.sig ?? "");
  if (c.selected) t = `${t} ◀`;
  if (c.mark === "best") t = `**${t}**`;
  else if (c.mark === "second") t = `<u>${t}</u>`;
  return t;
}

/** Markdown: `**title.** caption`, a blank line, then the table. */
export function renderMarkdown(t: Table): string {
  const multi = new Set(t.columns.map((c) => c.group)).size > 1 || t.columns.some((c) => c.group);
  const header = [
    t.corner,
    ...t.columns.map((c) => escapeMd(multi && c.group ? `${c.group} ${c.name}` : c.name)),
  ];
  const body = t.rows.map((r) =>
    r.kind === "section"
      ? [`*${escapeMd(r.label)}*`, ...t.columns.map(() => "")]
      : [escapeMd(r.label), ...r.cells.map(mdCell)]
  );
  const table = markdownTable([header, ...body], {
    align: ["l", ...t.columns.map((c) => c.align ?? "r")],
  });
  return `**${t.title}.** ${t.caption.replace(/\r?\n/g, " ")}\n\n${table}\n`;
}

/** CSV: `table,section,row,group,column,text,mean,std,n,mark,selected,sig`, one line per cell. */
export function renderCsv(t: Table): string {
  const out: string[][] = [];
  let section = "";
  for (const r of t.rows) {
    if (r.kind === "section") {
      section = r.label;
      continue;
    }
    r.cells.forEach((c, i) => {
      const col = t.columns[i];
      out.push([
        t.title,
        section,
        r.label,
        col.group,
        col.name,
        c.text,
        c.value ? String(c.value.mean) : "",
        c.value ? String(c.value.std) : "",
        c.value ? String(c.value.n) : "",
        c.mark ?? "",
        c.selected ? "1" : "",
        c.sig ?? "",
      ]);
    });
  }
  return stringify(out, {
    header: true,
    columns: [
      "table",
      "section",
      "row",
      "group",
      "column",
      "text",
      "mean",
      "std",
      "n",
      "mark",
      "selected",
      "sig",
    ],
  });
}

/** Escapes LaTeX special characters. */
export function escapeLatex(s: string): string {
  // One pass, so the braces of \textbackslash{} are not escaped again.
  return s.replace(/[\\&%$#_{}]/g, (c) => (c === "\\" ? "\\textbackslash{}" : `\\${c}`))
    .replace(/~/g, "\\textasciitilde{}").replace(/\^/g, "\\textasciicircum{}")
    .replace(/±/g, "$\\pm$").replace(/◀/g, "$\\blacktriangleleft$").replace(/×/g, "$\\times$")
    .replace(/α/g, "$\\alpha$").replace(/β/g, "$\\beta$").replace(/–/g, "--")
    .replace(/†/g, "$^{\\dagger}$").replace(/≡/g, "$^{\\equiv}$").replace(/≥/g, "$\\geq$").replace(
      /∞/g,
      "$\\infty$",
    ).replace(
      /−/g,
      "$-$",
    ).replace(/↓/g, "$\\downarrow$").replace(/↑/g, "$\\uparrow$")
    // Text-mode < and > print as ¡ and ¿ under LaTeX's default font encoding.
    .replace(/</g, "$<$").replace(/>/g, "$>$");
}

/** A cell's significance marks as a LaTeX superscript (`*`, and Table 4's `↓` / `↑`). */
function latexSig(sig: string): string {
  return `$^{${sig.replace(/↓/g, "\\downarrow").replace(/↑/g, "\\uparrow")}}$`;
}

function latexCell(c: Cell): string {
  let t = escapeLatex(c.text) + (c.sig ? latexSig(c.sig) : "");
  if (c.selected) t = `${t} $\\blacktriangleleft$`;
  if (c.mark === "best") t = `\\textbf{${t}}`;
  else if (c.mark === "second") t = `\\underline{${t}}`;
  return t;
}

/** LaTeX: a `table` float with booktabs rules, grouped headers and the caption. */
export function renderLatex(t: Table): string {
  const groups = columnGroups(t.columns);
  const n = t.columns.length;
  const lines = [
    "\\begin{table}[t]",
    "\\centering",
    `\\caption{${escapeLatex(t.title)}. ${escapeLatex(t.caption)}}`,
    "\\resizebox{\\linewidth}{!}{%",
    `\\begin{tabular}{l${t.columns.map((c) => c.align ?? "r").join("")}}`,
    "\\toprule",
  ];
  if (groups.some((g) => g.name)) {
    lines.push(
      ` & ${
        groups.map((g) => `\\multicolumn{${g.span}}{c}{${escapeLatex(g.name)}}`).join(" & ")
      } \\\\`,
    );
    let col = 2;
    lines.push(
      groups.map((g) => {
        const rule = `\\cmidrule(lr){${col}-${col + g.span - 1}}`;
        col += g.span;
        return rule;
      }).join(" "),
    );
  }
  lines.push(
    `${escapeLatex(t.corner)} & ${t.columns.map((c) => escapeLatex(c.name)).join(" & ")} \\\\`,
  );
  lines.push("\\midrule");
  let summarised = false;
  for (const r of t.rows) {
    if (r.kind === "section") {
      lines.push(`\\multicolumn{${n + 1}}{l}{\\textit{${escapeLatex(r.label)}}} \\\\`);
    } else {
      // One rule above the summary rows ("Impr." and its interval), not one between them.
      if (r.summary && !summarised) lines.push("\\midrule");
      summarised ||= r.summary === true;
      lines.push(`${escapeLatex(r.label)} & ${r.cells.map(latexCell).join(" & ")} \\\\`);
    }
  }
  lines.push("\\bottomrule", "\\end{tabular}}", "\\end{table}");
  return lines.join("\n") + "\n";
}

/** Renders in `format`. */
export function renderTable(t: Table, format: ReportFormat): string {
  return format === "md" ? renderMarkdown(t) : format === "csv" ? renderCsv(t) : renderLatex(t);
}
