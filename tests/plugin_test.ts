/**
 * Models and dataset loaders from outside the toolkit: the README's two examples ("Adding a
 * model", "Adding a dataset"), written to a folder of their own and named in an experiment's
 * `plugins:`, run through `run` — in this process, and in `--jobs 2` workers, which import the
 * plugins the store keeps with the plan — and their rows appear in the report.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("..", import.meta.url).pathname;
const readme = Deno.readTextFileSync(join(root, "README.md"));

/** The `lang` code blocks of the README section headed `heading`, in order. */
function blocks(heading: string, lang: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README has no "${heading}" section`);
  const end = readme.slice(start + heading.length + 2).search(/\n##+ /);
  const section = readme.slice(start, end < 0 ? undefined : start + heading.length + 2 + end);
  return [...section.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) =>
    m[1]
  );
}

/** A README module, importing this checkout's mod.ts where it says "../m2vae/mod.ts". */
function plugin(heading: string): string {
  const [code] = blocks(heading, "ts");
  assert.ok(code.includes(`"../m2vae/mod.ts"`));
  return code.replace(
    `"../m2vae/mod.ts"`,
    JSON.stringify(pathToFileURL(join(root, "mod.ts")).href),
  );
}

async function cli(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(root, "cli/main.ts"), ...args],
    cwd: root,
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Users 0–79 like one of four tag groups; items carry their group's tag and a shared one. */
function tinyTsv(): string {
  const lines: string[] = [];
  for (let u = 0; u < 80; u++) {
    for (let i = 0; i < 60; i++) {
      if (i % 4 === u % 4 && (u * 7 + i * 3) % 5 < 3) lines.push(`u${u}\ti${i}\tg${i % 4},all`);
    }
  }
  return lines.join("\n") + "\n";
}

Deno.test("a model registered by a plugin runs through run and is a row of the report", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "tag_profile.ts"), plugin("### Adding a model"));
  const [yaml] = blocks("### Adding a model", "yaml");
  assert.match(yaml, /plugins: \[\.\/tag_profile\.ts\]/);
  await Deno.writeTextFile(join(dir, "my_experiment.yaml"), yaml);
  const r = await cli(
    "run",
    join(dir, "my_experiment.yaml"),
    "--store",
    join(dir, "store.sqlite"),
    "--out",
    join(dir, "out"),
    "--cache-dir",
    join(dir, "cache"),
    "--quiet",
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\| TagProfile +\|/);
  assert.match(r.stdout, /\| Popularity +\|/);
});

Deno.test("a plugin's loader and model run in --jobs 2 workers", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "tag_profile.ts"), plugin("### Adding a model"));
  await Deno.writeTextFile(join(dir, "tsv_tags.ts"), plugin("### Adding a dataset"));
  await Deno.writeTextFile(join(dir, "my_tags.tsv"), tinyTsv());
  const [yaml] = blocks("### Adding a dataset", "yaml");
  await Deno.writeTextFile(join(dir, "tags.yaml"), `${yaml}seeds: [1]\n`);
  const r = await cli(
    "run",
    join(dir, "tags.yaml"),
    "--data-root",
    dir,
    "--store",
    join(dir, "store.sqlite"),
    "--out",
    join(dir, "out"),
    "--cache-dir",
    join(dir, "cache"),
    "--jobs",
    "2",
    "--quiet",
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /\(2 workers\)/);
  assert.match(r.stdout, /my-tags/);
  assert.match(r.stdout, /\| TagProfile +\|/);
  // Without the plugin the kind is unknown, and the message names it.
  await Deno.writeTextFile(join(dir, "bare.yaml"), yaml.replace(/^plugins:.*\n/m, ""));
  const bare = await cli("run", join(dir, "bare.yaml"), "--data-root", dir, "--dry-run");
  assert.equal(bare.code, 1);
  assert.match(bare.stderr, /tsv-tags/);
});
