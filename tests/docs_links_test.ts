/**
 * The documentation's relative links resolve: every markdown link `[text](target)` (and image
 * `![alt](target)`) in README.md and in every `docs/**` markdown file whose target is not a URL
 * (`http:`, `https:`, `mailto:`) names a file or folder that exists, relative to the linking file,
 * and a `#anchor` (alone for the same file, or after the path) is the slug of a heading of the
 * target file by GitHub's rule: the heading's text lowercased, every character that is not a
 * letter, digit, space, hyphen or underscore dropped, spaces turned into hyphens, and a repeated
 * slug given `-1`, `-2`, … in order. Links and headings inside fenced code blocks and inline code
 * spans do not count.
 */
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;

/** README.md and every markdown file under docs/, as absolute paths. */
function markdownFiles(): string[] {
  const files = [join(root, "README.md")];
  const walk = (dir: string) => {
    for (const entry of [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) walk(path);
      else if (entry.isFile && entry.name.endsWith(".md")) files.push(path);
    }
  };
  walk(join(root, "docs"));
  return files;
}

/** The file's lines outside fenced code blocks, each with its 1-based line number. */
function proseLines(text: string): { line: string; n: number }[] {
  const out: { line: string; n: number }[] = [];
  let fence: string | null = null;
  text.split("\n").forEach((line, i) => {
    const m = line.match(/^\s{0,3}(`{3,}|~{3,})/);
    if (fence) {
      if (
        m && m[1][0] === fence[0] && m[1].length >= fence.length && !line.trim().slice(m[1].length)
      ) {
        fence = null;
      }
    } else if (m) fence = m[1];
    else out.push({ line, n: i + 1 });
  });
  return out;
}

/** A line with its inline code spans blanked out (same length, so nothing inside them matches). */
function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)[\s\S]*?\1/g, (span) => " ".repeat(span.length));
}

/** GitHub's anchor for a heading's text. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link in a heading counts by its text
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\p{M} _-]/gu, "").replace(/ /g, "-");
}

/** Every anchor a markdown file defines, duplicates numbered as GitHub numbers them. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const { line } of proseLines(text)) {
    const m = line.match(/^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/);
    if (!m) continue;
    const base = slug(m[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    out.add(count === 0 ? base : `${base}-${count}`);
  }
  return out;
}

/** The relative links of a markdown file: target as written and its line. */
function relativeLinks(text: string): { target: string; n: number }[] {
  const out: { target: string; n: number }[] = [];
  for (const { line, n } of proseLines(text)) {
    for (
      const m of withoutCodeSpans(line).matchAll(
        /\]\(\s*<?([^)\s>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g,
      )
    ) {
      const target = m[1];
      if (/^(https?:|mailto:)/i.test(target)) continue;
      out.push({ target, n });
    }
  }
  return out;
}

/** The broken links of one file, as `file:line: target (why)`. */
function brokenLinks(file: string): string[] {
  const text = Deno.readTextFileSync(file);
  const broken: string[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsOf = (path: string) => {
    if (!anchorCache.has(path)) anchorCache.set(path, anchors(Deno.readTextFileSync(path)));
    return anchorCache.get(path)!;
  };
  for (const { target, n } of relativeLinks(text)) {
    const where = `${relative(root, file)}:${n}: ${target}`;
    const hash = target.indexOf("#");
    const pathPart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
    const path = pathPart === "" ? file : join(dirname(file), pathPart);
    let stat: Deno.FileInfo;
    try {
      stat = Deno.statSync(path);
    } catch {
      broken.push(`${where} (no such file)`);
      continue;
    }
    if (anchor === null) continue;
    if (!stat.isFile || !path.endsWith(".md")) {
      broken.push(`${where} (an anchor into something that is not a markdown file)`);
    } else if (!anchorsOf(path).has(anchor)) {
      broken.push(`${where} (no heading "#${anchor}" in ${relative(root, path)})`);
    }
  }
  return broken;
}

Deno.test("slugs follow GitHub's rule", () => {
  assert.equal(
    slug("M2VAE's content-ranking preset in the fair tables"),
    "m2vaes-content-ranking-preset-in-the-fair-tables",
  );
  assert.equal(slug("Commands (`deno task <name>`)"), "commands-deno-task-name");
  assert.equal(
    slug("Evaluation protocols (never mixed in one table)"),
    "evaluation-protocols-never-mixed-in-one-table",
  );
  assert.deepEqual(
    anchors("# A\n\n## A\n\n```md\n## A\n```\n\n## A b\n\n## A\n"),
    new Set(["a", "a-1", "a-b", "a-2"]),
  );
});

Deno.test("links are found outside code, and URLs are not checked", () => {
  const links = relativeLinks(
    [
      "[a](docs/x.md#y) and ![b](img.png 'c') `[not](a-link.md)`",
      "```sh",
      "[not](in-a-fence.md)",
      "```",
      "[web](https://example.org) [mail](mailto:a@b.c) [here](#z)",
    ].join("\n"),
  );
  assert.deepEqual(links, [
    { target: "docs/x.md#y", n: 1 },
    { target: "img.png", n: 1 },
    { target: "#z", n: 5 },
  ]);
});

Deno.test("every relative link of README.md and docs/ resolves, anchors included", () => {
  const files = markdownFiles();
  assert.ok(files.length > 1, "docs/ holds no markdown file");
  const broken = files.flatMap(brokenLinks);
  assert.deepEqual(broken, [], `broken links:\n${broken.join("\n")}`);
});
