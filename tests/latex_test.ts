/**
 * The LaTeX a researcher pastes into a paper compiles: the layouts of a small tuned experiment —
 * Table 3, Table 4, the tuning and budget tables and the diagnostics (captions with η, μ, τ,
 * ±, †, ↓, <, |, …) — are rendered by `report --format latex`, wrapped in a document with the
 * packages `renderLatex` names (`LATEX_PACKAGES`) and run through `pdflatex -halt-on-error`.
 * Needs pdflatex (Debian's texlive-latex-base, texlive-latex-recommended): ignored without it,
 * unless `M2VAE_LATEX_TEST=required` (CI installs it and sets that), where its absence fails.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { LATEX_PACKAGES } from "../lib/report/mod.ts";
import { cliIn } from "./_cli.ts";

const required = Deno.env.get("M2VAE_LATEX_TEST") === "required";
/** Whether pdflatex runs here: a missing program throws as the command is spawned. */
async function hasPdflatex(): Promise<boolean> {
  try {
    return (await new Deno.Command("pdflatex", { args: ["--version"], stdout: "null" }).output())
      .success;
  } catch {
    return false;
  }
}
const found = await hasPdflatex();

// Tuned rows (tuning, budget), an ablation beside its full model (Table 4's ↓ / ↑ caption), a
// floor (Impr.), three seeds (significance marks), M2VAE's diagnostics (μ, σ, α).
const EXPERIMENT = `name: latex_check
description: every layout's LaTeX, compiled
datasets:
  synthetic: { users: 120, items: 90, seed: 3 }
models:
  popularity: {}
  clcrec: { dim: 8, hidden: 8, attrDim: 8, negatives: 4 }
  m2vae: &s { dim: 8, decoderHidden: 8, attnHidden: 4, gateHidden: 4, sharedNegatives: 8 }
  "m2vae (w/o SG)": *s
search: { method: tune, budget: 2, eta: 2, seed: 0 }
seeds: 3
settings: { epochs: 2, patience: 0, batchSize: 256 }
`;

Deno.test({
  name:
    "report --format latex: Table 3, Table 4, tuning, budget and diagnostics compile with pdflatex",
  ignore: !found && !required,
  fn: async () => {
    assert.ok(found, "pdflatex not found, and M2VAE_LATEX_TEST=required");
    const dir = await Deno.makeTempDir({ prefix: "m2vae-latex-test-" });
    try {
      await Deno.writeTextFile(join(dir, "exp.yaml"), EXPERIMENT);
      const store = join(dir, "store.sqlite");
      const run = await cliIn(dir, "run", "exp.yaml", "--store", store, "--quiet");
      assert.equal(run.code, 0, run.stderr);
      const layouts = ["table3", "table4", "tuning", "budget", "diagnostics"];
      const tex = await cliIn(
        dir,
        "report",
        "--store",
        store,
        "--format",
        "latex",
        ...layouts.flatMap((l) => ["--layout", l]),
      );
      assert.equal(tex.code, 0, tex.stderr);
      for (const want of ["Table 3", "Table 4", "Tuning: ", "Tuning budget: ", "Diagnostics"]) {
        assert.ok(tex.stdout.includes(want), `no ${want} table in\n${tex.stdout}`);
      }
      const doc = [
        "\\documentclass{article}",
        `\\usepackage{${LATEX_PACKAGES.join(",")}}`,
        "\\begin{document}",
        tex.stdout,
        "\\end{document}",
        "",
      ].join("\n");
      await Deno.writeTextFile(join(dir, "tables.tex"), doc);
      const pdf = await new Deno.Command("pdflatex", {
        args: ["-interaction=nonstopmode", "-halt-on-error", "tables.tex"],
        cwd: dir,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const log = await Deno.readTextFile(join(dir, "tables.log")).catch(() => "");
      const errors = log.split("\n").filter((l) => l.startsWith("!")).slice(0, 5).join("\n");
      assert.ok(pdf.success, `pdflatex failed:\n${errors}`);
      // A glyph the font lacks is only a warning: it would print nothing where the symbol was.
      assert.doesNotMatch(log, /Missing character/);
      assert.ok((await Deno.stat(join(dir, "tables.pdf"))).size > 0);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
