/**
 * The command line's front door: every command answers `--help` with its options and an
 * example, `--version` names the toolkit version and commit, usage mistakes are one line on
 * stderr (with the usage or a did-you-mean) and exit 1, and every deno.json task is described.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TOOLKIT_VERSION } from "../lib/run/version.ts";
import { program } from "../cli/main.ts";
import { cliIn, root } from "./_cli.ts";

const cli = (args: string[], cwd = root) => cliIn(cwd, ...args);

const EXPERIMENT_OPTIONS = [
  "--data-root",
  "--datasets",
  "--set",
  "--configs",
  "--store",
  "--jobs",
  "--fresh",
  "--dry-run",
  "--out",
  "--cache-dir",
  "--backend",
  "--quiet",
];

/** Every command of cli/main.ts and the options its usage must name. */
const COMMANDS: Record<string, string[]> = {
  demo: EXPERIMENT_OPTIONS,
  run: ["<experiment.yaml>", ...EXPERIMENT_OPTIONS],
  grid: ["<experiment.yaml>", ...EXPERIMENT_OPTIONS],
  ablate: ["<experiment.yaml>", ...EXPERIMENT_OPTIONS],
  report: ["--store", "--experiment", "--layout", "--format", "--out", "--export"],
  explain: ["--trial", "--user", "--item", "--store", "--format"],
  embed: ["--trial", "--views", "--items", "--out", "--no-map", "--store"],
  figures: ["--experiment", "--store", "--out", "--png", "--no-models"],
  regress: ["--experiment", "--expected", "--data-root", "--set", "--update", "--quiet"],
  data: ["<dataset>", "--path", "--opt", "--data-root", "--configs"],
  realdata: ["<data-root>", "--set", "--out", "--store"],
  bench: [
    "--quick",
    "--data-root",
    "--max-blocks",
    "--models",
    "--table",
    "--jobs",
    "--jobs-ratio",
  ],
  status: ["--store", "--experiment", "--format"],
  store: ["<action>", "<from>", "[to]", "copy", "prune", "--dry-run", "--end-states"],
  worker: ["--store", "--experiment", "--cache-dir", "--backend", "--wait-for-running"],
};

// Every command the program has gets the test: the options above, and every option it defines.
const tree = program(() => {});
for (const cmd of tree.commands) {
  const task = cmd.name();
  const defined = cmd.options.map((o) => o.long!).filter(Boolean);
  const options = [...new Set([...(COMMANDS[task] ?? []), ...defined])];
  Deno.test(`${task} --help: usage, every option and an example, exit 0`, async () => {
    const r = await cli([task, "--help"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.match(r.stdout, new RegExp(`^Usage: m2vae ${task} \\[options\\]`));
    for (const o of options) assert.ok(r.stdout.includes(o), `${task} --help lacks ${o}`);
    assert.match(r.stdout, /\nExamples?:\n {2}(deno task|deno run -A cli\/main\.ts) /);
  });
}

Deno.test("the commands listed above are the program's commands", () => {
  for (const task of Object.keys(COMMANDS)) {
    assert.ok(tree.commands.some((c) => c.name() === task), `no command ${task}`);
  }
});

Deno.test("the top-level help lists every command; no command prints it and exits 1", async () => {
  const help = await cli(["--help"]);
  assert.equal(help.code, 0, help.stderr);
  for (const cmd of tree.commands) {
    assert.match(help.stdout, new RegExp(`\\n {2}${cmd.name()} \\[options\\]`), cmd.name());
  }
  const none = await cli([]);
  assert.equal(none.code, 1);
  assert.match(none.stdout, /^Usage: m2vae \[options\] \[command\]/);
});

Deno.test("--version prints the toolkit version and the git commit", async () => {
  const r = await cli(["--version"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout.trim(),
    new RegExp(
      `^m2vae ${TOOLKIT_VERSION.replaceAll(".", "\\.")} \\(git ([0-9a-f]{7,}(-dirty)?|unknown)\\)$`,
    ),
  );
  // The commit is the toolkit's, whatever the working directory.
  const elsewhere = await cli(["-V"], await Deno.makeTempDir());
  assert.equal(elsewhere.stdout, r.stdout);
});

Deno.test("usage mistakes: one line on stderr, exit 1, with the usage or a did-you-mean", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["run"],
      /^error: missing required argument 'experiment\.yaml' — usage: m2vae run \[options\] <experiment\.yaml>/,
    ],
    [["rnu", "x.yaml"], /^error: unknown command 'rnu' \(Did you mean run\?\)$/],
    [
      ["run", "x.yaml", "--jbos", "2"],
      /^error: unknown option '--jbos' \(Did you mean --jobs\?\); see m2vae run --help$/,
    ],
    [["run", "a.yaml", "b.yaml"], /^error: too many arguments for 'run'.*— usage: m2vae run/],
    [["data"], /^error: missing required argument 'dataset'/],
    [["help", "rnu"], /^error: unknown command 'rnu' \(Did you mean run\?\)$/],
    [["realdata"], /^error: missing required argument 'data-root'/],
    [
      ["worker", "--store", "s.sqlite"],
      /^error: required option '--experiment <name>' not specified/,
    ],
    [["run", "x.yaml", "--jobs"], /^error: option '--jobs <n>' argument missing/],
    [
      ["report", "--format", "pdf", "--store", "none.sqlite"],
      /^error: --format: expected md, csv, latex or html, got "pdf"$/,
    ],
    [
      ["explain", "--trial", "abcd", "--user", "u1"],
      /^error: required option '--item <id>' not specified/,
    ],
  ];
  for (const [args, want] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 1, `${args.join(" ")}: ${r.stderr}`);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr.trimEnd(), want, args.join(" "));
    assert.equal(r.stdout, "", args.join(" "));
  }
});

Deno.test("every deno.json task has a description, and every command has a task", async () => {
  const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
  for (const [name, task] of Object.entries(config.tasks as Record<string, unknown>)) {
    assert.equal(typeof task, "object", `task ${name} has no description`);
    const t = task as { command?: string; description?: string };
    assert.ok(t.command && t.description && t.description.length > 10, `task ${name}`);
  }
  for (const task of Object.keys(COMMANDS)) {
    if (task === "worker") continue; // started by run --jobs N, not by hand
    assert.equal(
      (config.tasks[task] as { command: string }).command,
      `deno run -A cli/main.ts ${task}`,
    );
  }
});
