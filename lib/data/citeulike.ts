/**
 * Loader for `citeulike-a` with ALDI's item-cold-start split: `users.dat` (line u = user u:
 * `n item …`, 0-based article ids), tags from `item-tag.dat` (line i = item i: `n tag …`)
 * named through `tags.dat`, and `aldi_split/` as the dataset's provided split.
 *
 * The provided split keeps train = `warm_emb.csv` exactly as ALDI trains; the warm
 * `warm_val.csv` / `warm_test.csv` rows (held-out interactions of warm items) are NOT added to
 * train, so training sees what ALDI's models saw. Valid = `cold_item_val.csv`, test =
 * `cold_item_test.csv`; their items are checked to have no training rows.
 *
 * @module
 */
import { DatasetBuilder, type LoadedDataset } from "./builder.ts";
import type { Dataset, Interactions } from "./dataset.ts";
import { parseCount } from "./delimited.ts";
import { DataError } from "./errors.ts";
import { joinPath } from "./files.ts";
import { forEachLine, readLines } from "./lines.ts";

/** Options of {@linkcode loadCiteulike}. */
export interface CiteulikeOptions {
  /** Keep tags carried by at least this many items (default 10). */
  minTagFreq?: number;
  /** Attach `aldi_split/` as the provided split (default true). */
  providedSplit?: boolean;
}

/** Reads a `n id id …` list file (one 0-based entity per line, empty lines allowed). */
async function readCountedLists(file: string): Promise<{ ids: string[]; line: number }[]> {
  const out: { ids: string[]; line: number; blank: boolean }[] = [];
  await forEachLine(file, (text, line) => {
    const f = text.trim() === "" ? [] : text.trim().split(/\s+/);
    const n = f.length === 0 ? 0 : parseCount(f[0], { file, line, field: "count" });
    if (f.length > 0 && n !== f.length - 1) {
      throw new DataError(
        { file, line, field: "count" },
        `says ${n} entries, found ${f.length - 1}`,
      );
    }
    out.push({ ids: f.slice(1), line, blank: f.length === 0 });
  }, { keepEmpty: true });
  while (out.length > 0 && out[out.length - 1].blank) out.pop(); // trailing blank lines
  if (out.length === 0) throw new DataError({ file }, "empty file");
  return out;
}

async function readSplitFile(b: DatasetBuilder, file: string): Promise<Interactions> {
  const users: number[] = [], items: number[] = [];
  await forEachLine(file, (text, line) => {
    if (line === 1 && /[a-z]/i.test(text)) return;
    const f = text.split(",");
    if (f.length < 2) throw new DataError({ file, line }, "expected user,item");
    const u = b.userIndex(f[0].trim()), i = b.itemIndex(f[1].trim());
    if (u === undefined) {
      throw new DataError({ file, line, field: "user" }, `unknown user "${f[0]}"`);
    }
    if (i === undefined) {
      throw new DataError({ file, line, field: "item" }, `unknown item "${f[1]}"`);
    }
    users.push(u);
    items.push(i);
  });
  if (users.length === 0) throw new DataError({ file }, "no rows (empty file?)");
  return { users: Int32Array.from(users), items: Int32Array.from(items) };
}

/** Loads citeulike-a with its report. */
export async function loadCiteulikeWithReport(
  dir: string,
  opts: CiteulikeOptions = {},
): Promise<LoadedDataset> {
  const usersFile = joinPath(dir, "users.dat");
  const itemTagFile = joinPath(dir, "item-tag.dat");
  const tagsFile = joinPath(dir, "tags.dat");
  const b = new DatasetBuilder({
    name: "citeulike-a",
    source: dir,
    minAttributeFreq: opts.minTagFreq ?? 10,
  });
  const itemTags = await readCountedLists(itemTagFile);
  const tagLines = await readLines(tagsFile, { keepEmpty: true });
  const tagNames = tagLines.map((t) => t.line.trim());
  const nameCount = new Map<string, number>();
  for (const t of tagNames) nameCount.set(t, (nameCount.get(t) ?? 0) + 1);
  // A few tag strings occur twice in tags.dat; keep the ids apart as "name#id".
  const tagToken = (
    id: number,
  ) => (nameCount.get(tagNames[id])! > 1 ? `${tagNames[id]}#${id}` : tagNames[id]);

  b.declareItems(itemTags.map((_, i) => String(i)), itemTagFile);
  const libraries = await readCountedLists(usersFile);
  b.declareUsers(libraries.map((_, u) => String(u)), usersFile);
  for (let u = 0; u < libraries.length; u++) {
    const loc = { file: usersFile, line: libraries[u].line, field: "item" };
    for (const item of libraries[u].ids) b.addInteraction(String(u), item, loc);
  }
  for (let i = 0; i < itemTags.length; i++) {
    const loc = { file: itemTagFile, line: itemTags[i].line, field: "tag" };
    const toks = itemTags[i].ids.map((t) => {
      const id = parseCount(t, loc);
      if (id >= tagNames.length) {
        throw new DataError(loc, `tag id ${id} >= ${tagNames.length} tags in ${tagsFile}`);
      }
      return tagToken(id);
    });
    b.addItemTokens(String(i), toks, loc);
  }
  const loaded = b.build();
  if (opts.providedSplit ?? true) {
    const dirS = joinPath(dir, "aldi_split");
    const train = await readSplitFile(b, joinPath(dirS, "warm_emb.csv"));
    const valid = await readSplitFile(b, joinPath(dirS, "cold_item_val.csv"));
    const test = await readSplitFile(b, joinPath(dirS, "cold_item_test.csv"));
    const ds = loaded.dataset;
    const nI = ds.itemIds.length;
    const pairs = new Set<number>();
    for (let k = 0; k < ds.interactions.users.length; k++) {
      pairs.add(ds.interactions.users[k] * nI + ds.interactions.items[k]);
    }
    const trainItems = new Uint8Array(nI);
    for (const i of train.items) trainItems[i] = 1;
    const validItems = new Uint8Array(nI);
    for (const i of valid.items) validItems[i] = 1;
    for (
      const [part, inter] of [["warm_emb", train], ["cold_item_val", valid], [
        "cold_item_test",
        test,
      ]] as const
    ) {
      for (let k = 0; k < inter.users.length; k++) {
        const u = inter.users[k], i = inter.items[k];
        if (!pairs.has(u * nI + i)) {
          throw new DataError(
            { file: joinPath(dirS, `${part}.csv`) },
            `pair (${u}, ${i}) is not in users.dat`,
          );
        }
        if (part !== "warm_emb" && trainItems[i]) {
          throw new DataError(
            { file: joinPath(dirS, `${part}.csv`) },
            `cold item ${i} has training rows`,
          );
        }
        if (part === "cold_item_test" && validItems[i]) {
          throw new DataError(
            { file: joinPath(dirS, `${part}.csv`) },
            `item ${i} is in both cold parts`,
          );
        }
      }
    }
    ds.providedSplit = { source: dirS, train, valid, test };
    b.note(
      `provided split: train=warm_emb (${train.users.length}), valid=cold_item_val (${valid.users.length}), ` +
        `test=cold_item_test (${test.users.length}); warm_val/warm_test are not used`,
    );
  }
  return loaded;
}

/**
 * Loads citeulike-a with tags (frequency ≥ 10 by default) and ALDI's provided split.
 *
 * @example Usage
 * ```ts
 * const ds = await loadCiteulike("../shared/data/citeulike-a");
 * ds.providedSplit?.test.users.length; // 20158
 * ```
 */
export async function loadCiteulike(dir: string, opts: CiteulikeOptions = {}): Promise<Dataset> {
  return (await loadCiteulikeWithReport(dir, opts)).dataset;
}
