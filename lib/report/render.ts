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

/**
 * Markdown's inline syntax in a label, a cell or a caption, backslash-escaped so that it prints
 * as written: `\\` before punctuation or at the end (where a wrapper's `**` or `</u>` follows),
 * `` ` ``, `*`, `~`, `|` (which would also split a table cell), `<` where it could open an HTML tag
 * (`GAR <sep>`), `&` where it could start an entity and `_` where it could open or close emphasis
 * (not inside a word: `P_u` stays). Newlines become spaces. Brackets and a
 * `<` before a space stay, so captions keep reading as text.
 *
 * @example Usage
 * ```ts
 * escapeMarkdown("*β* <sep> | x_y, p < 0.05"); // "\\*β\\* \\<sep> \\| x_y, p < 0.05"
 * ```
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(
      /\\(?=[!-/:-@[-`{-~]|$)|[`*~|]|<(?=[A-Za-z/!?])|&(?=#?\w+;)|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g,
      (c) => `\\${c}`,
    )
    .replace(/\r?\n/g, " ");
}

function mdCell(c: Cell): string {
  let t = escapeMarkdown(c.text + (c.sig ?? ""));
  if (c.selected) t = `${t} ◀`;
  if (c.mark === "best") t = `**${t}**`;
  else if (c.mark === "second") t = `<u>${t}</u>`;
  return t;
}

/** Markdown: `**title.** caption`, a blank line, then the table. */
export function renderMarkdown(t: Table): string {
  const multi = new Set(t.columns.map((c) => c.group)).size > 1 || t.columns.some((c) => c.group);
  const header = [
    escapeMarkdown(t.corner),
    ...t.columns.map((c) => escapeMarkdown(multi && c.group ? `${c.group} ${c.name}` : c.name)),
  ];
  const body = t.rows.map((r) =>
    r.kind === "section"
      ? [`*${escapeMarkdown(r.label)}*`, ...t.columns.map(() => "")]
      : [escapeMarkdown(r.label), ...r.cells.map(mdCell)]
  );
  const table = markdownTable([header, ...body], {
    align: ["l", ...t.columns.map((c) => c.align ?? "r")],
  });
  return `**${escapeMarkdown(t.title)}.** ${escapeMarkdown(t.caption)}\n\n${table}\n`;
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
        // A summary row (Impr.) belongs to no family.
        r.summary ? "" : section,
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

/** The Greek small letters α (U+03B1) to ω in order, as LaTeX's math names (ο is a Latin o). */
const GREEK =
  ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi o pi rho " +
    "varsigma sigma tau upsilon phi chi psi omega").split(" ");

/** What LaTeX prints for each special or non-ASCII character the reports use. */
const LATEX: Record<string, string> = {
  "\\": "\\textbackslash{}",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
  // A text-mode |, < and > print as —, ¡ and ¿ under LaTeX's default font encoding.
  "|": "\\textbar{}",
  "<": "$<$",
  ">": "$>$",
  "±": "$\\pm$",
  "◀": "$\\blacktriangleleft$",
  "×": "$\\times$",
  "÷": "$\\div$",
  "·": "$\\cdot$",
  "√": "$\\surd$",
  "–": "--",
  "—": "---",
  "†": "$^{\\dagger}$",
  "≡": "$^{\\equiv}$",
  "≥": "$\\geq$",
  "≤": "$\\leq$",
  "≈": "$\\approx$",
  "∞": "$\\infty$",
  "−": "$-$",
  "↓": "$\\downarrow$",
  "↑": "$\\uparrow$",
  // pdflatex has no text-mode Greek: each letter in math mode.
  ...Object.fromEntries(
    GREEK.map((name, i) => [String.fromCodePoint(0x3b1 + i), name === "o" ? "o" : `$\\${name}$`]),
  ),
};

/**
 * Escapes LaTeX's special characters (`& % $ # _ { } ~ ^ \\ |`) and writes the non-ASCII
 * symbols the reports use (±, †, ↓, Greek letters, …) as pdflatex prints them.
 *
 * @example Usage
 * ```ts
 * escapeLatex("τ_co & 5% ± η"); // "$\\tau$\\_co \\& 5\\% $\\pm$ $\\eta$"
 * ```
 */
export function escapeLatex(s: string): string {
  // One pass, so that what one replacement writes is never escaped again.
  return s.replace(
    /[&%$#_{}\\~^|<>]|[^ -~]/gu,
    (c) => LATEX[c] ?? (/[&%$#_{}]/.test(c) ? `\\${c}` : c),
  );
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

/**
 * The packages a document needs for {@linkcode renderLatex}'s tables: `booktabs` (the rules),
 * `graphicx` (`\\resizebox`) and `amssymb` (`\\blacktriangleleft`); pdflatex with LaTeX's
 * UTF-8 input reads everything else.
 *
 * @example Usage
 * ```ts
 * const preamble = `\\usepackage{${LATEX_PACKAGES.join(",")}}`; // \\usepackage{booktabs,graphicx,amssymb}
 * ```
 */
export const LATEX_PACKAGES: readonly string[] = ["booktabs", "graphicx", "amssymb"];

/**
 * LaTeX: a `table` float with booktabs rules, grouped headers and the caption; a document
 * loads {@linkcode LATEX_PACKAGES} for it.
 */
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
