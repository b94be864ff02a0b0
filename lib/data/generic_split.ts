/**
 * Train / validation / test files given with a generic dataset (`split: { train, valid, test }`),
 * so a model is evaluated on exactly the split another toolkit used (ColdRec's, a RecBole
 * benchmark's) instead of the seeded item split. Each file is either interactions, read with the
 * dataset's own columns, delimiter, header and rating threshold, or a list of item ids, one per
 * line (the part is then every interaction of those items). Every row must name a user and item
 * of the interactions file and a pair it holds; the validation and test items must be cold (no
 * training interaction) and apart from each other; no part may be empty. A defect is one
 * DataError naming the file, line and field.
 *
 * @example
 * ```ts
 * import { loadGeneric } from "./generic.ts";
 * const ds = await loadGeneric({
 *   interactions: "data/inter.tsv",
 *   split: { train: "data/train.tsv", valid: "data/valid_items.txt", test: "data/test.tsv" },
 * });
 * ds.providedSplit?.source; // "train=data/train.tsv, valid=data/valid_items.txt, test=data/test.tsv"
 * ```
 *
 * @module
 */
import type { Dataset, Interactions, ProvidedSplit } from "./dataset.ts";
import { type InteractionColumns, parseNumber } from "./delimited.ts";
import { DataError } from "./errors.ts";
import { forEachRow, HEADER_FIELD } from "./rows.ts";

/** The files of a provided split. */
export interface SplitFiles {
  /** Training interactions (or the warm items). */
  train: string;
  /** The cold validation interactions (or items). */
  valid: string;
  /** The cold test interactions (or items). */
  test: string;
}

/** How the split files' rows are read: the dataset's own interactions options. */
export interface SplitReadOptions extends InteractionColumns {
  /** The interactions file, named when a pair is not in it. */
  interactions: string;
}

/** One part as read: its pairs, and the line each item was first met on. */
interface Part {
  users: number[];
  items: number[];
  itemLine: Map<number, number>;
  skipped: number;
}

async function readPart(
  ds: Dataset,
  file: string,
  opts: SplitReadOptions,
  userIndex: Map<string, number>,
  itemIndex: Map<string, number>,
  pairs: Set<number>,
  itemPairs: (item: number) => number[],
): Promise<Part> {
  const nI = ds.itemIds.length;
  const uc = opts.userColumn ?? 0, ic = opts.itemColumn ?? 1;
  const rc = opts.ratingColumn === undefined ? 2 : opts.ratingColumn;
  // A file of one field per row lists items; the first row says which kind the file is.
  let itemList: boolean | undefined;
  const part: Part = { users: [], items: [], itemLine: new Map(), skipped: 0 };
  const seen = new Set<number>();
  const add = (u: number, i: number, line: number) => {
    if (!part.itemLine.has(i)) part.itemLine.set(i, line);
    const key = u * nI + i;
    if (seen.has(key)) return;
    seen.add(key);
    part.users.push(u);
    part.items.push(i);
  };
  const looksLikeHeader = (f: string[]) =>
    f.some((x, k) => (f.length === 1 || k === uc || k === ic) && HEADER_FIELD.test(x));
  await forEachRow(file, { ...opts, looksLikeHeader }, (f, line) => {
    itemList ??= f.length === 1;
    if (itemList) {
      const item = f[0].trim();
      const i = itemIndex.get(item);
      if (i === undefined) {
        throw new DataError(
          { file, line, field: "item" },
          `unknown item "${item}" (not in ${opts.interactions})`,
        );
      }
      for (const u of itemPairs(i)) add(u, i, line);
      if (!part.itemLine.has(i)) part.itemLine.set(i, line);
      return;
    }
    if (f.length <= Math.max(uc, ic)) {
      throw new DataError(
        { file, line },
        `expected at least ${
          Math.max(uc, ic) + 1
        } fields (user, item) or one (item), got ${f.length}`,
      );
    }
    if (rc !== null && f.length > rc && opts.ratingThreshold !== undefined) {
      if (parseNumber(f[rc], { file, line, field: "rating" }) < opts.ratingThreshold) {
        part.skipped++;
        return;
      }
    }
    const user = f[uc].trim(), item = f[ic].trim();
    const u = userIndex.get(user), i = itemIndex.get(item);
    if (u === undefined) {
      throw new DataError(
        { file, line, field: "user" },
        `unknown user "${user}" (not in ${opts.interactions})`,
      );
    }
    if (i === undefined) {
      throw new DataError(
        { file, line, field: "item" },
        `unknown item "${item}" (not in ${opts.interactions})`,
      );
    }
    if (!pairs.has(u * nI + i)) {
      throw new DataError(
        { file, line },
        `the pair (user "${user}", item "${item}") is not an interaction of ${opts.interactions}`,
      );
    }
    add(u, i, line);
  });
  return part;
}

/**
 * Reads the split files of a generic dataset into its {@linkcode ProvidedSplit}, checking them
 * (see the module note). `notes` receives one line saying what was read.
 */
export async function readProvidedSplit(
  ds: Dataset,
  files: SplitFiles,
  opts: SplitReadOptions,
  notes: string[] = [],
): Promise<ProvidedSplit> {
  const nI = ds.itemIds.length;
  const userIndex = new Map(ds.userIds.map((id, k) => [id, k]));
  const itemIndex = new Map(ds.itemIds.map((id, k) => [id, k]));
  const pairs = new Set<number>();
  const byItem: number[][] = Array.from({ length: nI }, () => []);
  const { users, items } = ds.interactions;
  for (let k = 0; k < users.length; k++) {
    pairs.add(users[k] * nI + items[k]);
    byItem[items[k]].push(users[k]);
  }
  const parts = {} as Record<keyof SplitFiles, Part>;
  for (const name of ["train", "valid", "test"] as const) {
    const file = files[name];
    const part = await readPart(ds, file, opts, userIndex, itemIndex, pairs, (i) => byItem[i]);
    if (part.users.length === 0) {
      throw new DataError(
        { file, field: name },
        "no interactions: every part of a provided split must be non-empty",
      );
    }
    parts[name] = part;
  }
  const cold = new Map<number, string>();
  for (const name of ["valid", "test"] as const) {
    for (const [i, line] of parts[name].itemLine) {
      const loc = { file: files[name], line, field: "item" };
      if (parts.train.itemLine.has(i)) {
        throw new DataError(
          loc,
          `cold ${name} item "${ds.itemIds[i]}" has training interactions in ${files.train}`,
        );
      }
      if (cold.has(i)) {
        throw new DataError(loc, `item "${ds.itemIds[i]}" is both a validation and a test item`);
      }
      cold.set(i, name);
    }
  }
  const asInteractions = (p: Part): Interactions => ({
    users: Int32Array.from(p.users),
    items: Int32Array.from(p.items),
  });
  const counted = (["train", "valid", "test"] as const).map((n) =>
    `${n}=${files[n]} (${parts[n].users.length} interactions, ${parts[n].itemLine.size} items)`
  );
  const used = parts.train.users.length + parts.valid.users.length + parts.test.users.length;
  notes.push(
    `provided split: ${counted.join(", ")}; ${users.length - used} interactions in no part` +
      (parts.train.skipped + parts.valid.skipped + parts.test.skipped > 0
        ? `; split rows below the rating threshold skipped`
        : ""),
  );
  return {
    source: `train=${files.train}, valid=${files.valid}, test=${files.test}`,
    train: asInteractions(parts.train),
    valid: asInteractions(parts.valid),
    test: asInteractions(parts.test),
  };
}
