/**
 * MovieLens loaders: ml-20m / ml-25m / ml-latest(-small) (`ratings.csv`, `movies.csv`,
 * optional `tags.csv`), ml-1m / ml-10m (`ratings.dat`, `movies.dat`, `::`-separated, latin-1)
 * and ml-100k (`u.data`, `u.item` with 19 genre flags, latin-1). The variant is detected from
 * the files present in the folder.
 *
 * Attributes are the genres (`(no genres listed)` and ml-100k's `unknown` give no token) and,
 * optionally, user tags as `tag:<lower-cased tag>`. Movies listed in the movie file that have
 * no (kept) rating are dropped: an item without interactions can be neither trained on nor
 * evaluated, so the dataset's items are exactly the rated movies.
 *
 * @module
 */
import { DatasetBuilder, type LoadedDataset } from "./builder.ts";
import type { Dataset } from "./dataset.ts";
import { parseNumber, splitFields } from "./delimited.ts";
import { DataError } from "./errors.ts";
import { baseName, fileExists, joinPath } from "./files.ts";
import { forEachLine } from "./lines.ts";

/** Options of {@linkcode loadMovieLens}. */
export interface MovieLensOptions {
  /** Keep ratings >= this (default 0: keep all). */
  ratingThreshold?: number;
  /** Add user tags (`tags.csv` / `tags.dat`) as `tag:` attributes (default false). */
  tags?: boolean;
  /** Keep tag tokens on at least this many movies (default 1). Genres are always kept. */
  minTagFreq?: number;
  /** Dataset name (default: the folder name). */
  name?: string;
}

/** The MovieLens file layouts. */
export type MovieLensVariant = "csv" | "dat" | "100k";

const GENRES_100K = [
  "unknown",
  "Action",
  "Adventure",
  "Animation",
  "Children's",
  "Comedy",
  "Crime",
  "Documentary",
  "Drama",
  "Fantasy",
  "Film-Noir",
  "Horror",
  "Musical",
  "Mystery",
  "Romance",
  "Sci-Fi",
  "Thriller",
  "War",
  "Western",
]; // deno-fmt-ignore

/** Detects the layout of a MovieLens folder; throws a DataError naming the missing file. */
export async function detectMovieLens(dir: string): Promise<MovieLensVariant> {
  if (await fileExists(joinPath(dir, "ratings.csv"))) return "csv";
  if (await fileExists(joinPath(dir, "ratings.dat"))) return "dat";
  if (await fileExists(joinPath(dir, "u.data"))) return "100k";
  throw new DataError(
    { file: joinPath(dir, "ratings.csv") },
    "file not found (nor ratings.dat or u.data: not a MovieLens folder)",
  );
}

/** Loads a MovieLens folder with its report. */
export async function loadMovieLensWithReport(
  dir: string,
  opts: MovieLensOptions = {},
): Promise<LoadedDataset> {
  const variant = await detectMovieLens(dir);
  const threshold = opts.ratingThreshold ?? 0;
  const b = new DatasetBuilder({ name: opts.name ?? baseName(dir), source: dir });
  const encoding = variant === "csv" ? "utf-8" : "latin1";
  const ratingsFile = joinPath(
    dir,
    { csv: "ratings.csv", dat: "ratings.dat", "100k": "u.data" }[variant],
  );
  const delim = { csv: ",", dat: "::", "100k": "\t" }[variant];
  let below = 0;
  await forEachLine(ratingsFile, (text, line) => {
    if (variant === "csv" && line === 1 && text.startsWith("userId")) return;
    const f = splitFields(text, delim, { file: ratingsFile, line });
    if (f.length < 3) {
      throw new DataError({ file: ratingsFile, line }, `expected 4 fields, got ${f.length}`);
    }
    const r = parseNumber(f[2], { file: ratingsFile, line, field: "rating" });
    if (r < threshold) {
      below++;
      return;
    }
    b.addInteraction(f[0].trim(), f[1].trim(), { file: ratingsFile, line });
  }, { encoding });
  if (b.rowCount === 0) {
    throw new DataError({ file: ratingsFile }, `no ratings >= ${threshold} (empty file?)`);
  }
  if (below > 0) b.skip(`ratings < ${threshold}`, below);

  const moviesFile = joinPath(
    dir,
    { csv: "movies.csv", dat: "movies.dat", "100k": "u.item" }[variant],
  );
  let movies = 0;
  const before = b.report.skipped["attribute rows for unknown items"] ?? 0;
  await forEachLine(moviesFile, (text, line) => {
    const loc = { file: moviesFile, line };
    let id: string, genres: string[];
    if (variant === "100k") {
      const f = text.split("|");
      if (f.length < 5 + GENRES_100K.length) {
        throw new DataError(loc, `expected ${5 + GENRES_100K.length} fields, got ${f.length}`);
      }
      id = f[0];
      const flags = f.slice(f.length - GENRES_100K.length);
      genres = GENRES_100K.filter((_, g) => flags[g].trim() === "1");
    } else {
      if (variant === "csv" && line === 1 && text.startsWith("movieId")) return;
      const f = splitFields(text, delim, loc);
      if (f.length < 3) throw new DataError(loc, `expected 3 fields, got ${f.length}`);
      id = f[0];
      genres = f[f.length - 1].split("|");
    }
    movies++;
    const toks = genres.map((g) => g.trim()).filter((g) =>
      g !== "(no genres listed)" && g !== "unknown"
    );
    b.addItemTokens(id.trim(), toks, { ...loc, field: "movieId" });
  }, { encoding });
  if (movies === 0) throw new DataError({ file: moviesFile }, "no movies (empty file?)");
  const dropped = (b.report.skipped["attribute rows for unknown items"] ?? 0) - before;
  if (dropped > 0) b.note(`${dropped} movies without kept ratings dropped`);

  if (opts.tags) await readTags(b, dir, variant, opts.minTagFreq ?? 1);
  return b.build();
}

async function readTags(
  b: DatasetBuilder,
  dir: string,
  variant: MovieLensVariant,
  minFreq: number,
) {
  if (variant === "100k") {
    throw new DataError({ file: dir, field: "tags" }, "ml-100k has no tags file");
  }
  const file = joinPath(dir, variant === "csv" ? "tags.csv" : "tags.dat");
  const perItem = new Map<number, Set<string>>();
  let unknown = 0;
  await forEachLine(file, (text, line) => {
    if (variant === "csv" && line === 1 && text.startsWith("userId")) return;
    const f = splitFields(text, variant === "csv" ? "," : "::", { file, line });
    if (f.length < 3) throw new DataError({ file, line }, `expected 4 fields, got ${f.length}`);
    const item = b.itemIndex(f[1].trim());
    const tag = f[2].trim().toLowerCase();
    if (item === undefined) {
      unknown++;
      return;
    }
    if (tag === "") return;
    let s = perItem.get(item);
    if (!s) perItem.set(item, s = new Set());
    s.add(`tag:${tag}`);
  }, { encoding: variant === "csv" ? "utf-8" : "latin1" });
  const freq = new Map<string, number>();
  for (const s of perItem.values()) for (const t of s) freq.set(t, (freq.get(t) ?? 0) + 1);
  const ids = b.itemIds();
  for (const [item, s] of perItem) {
    const keep = [...s].filter((t) => (freq.get(t) ?? 0) >= minFreq);
    b.addItemTokens(ids[item], keep, { file, field: "movieId" });
  }
  if (unknown > 0) b.skip("tag rows for movies without kept ratings", unknown);
  const kept = [...freq.values()].filter((n) => n >= minFreq).length;
  b.note(`tags: ${kept} of ${freq.size} distinct tags kept (on >= ${minFreq} movies)`);
}

/**
 * Loads a MovieLens folder (layout detected from its files).
 *
 * @example Usage
 * ```ts
 * const ds = await loadMovieLens("../shared/data/ml-latest-small", { ratingThreshold: 4 });
 * ```
 */
export async function loadMovieLens(dir: string, opts: MovieLensOptions = {}): Promise<Dataset> {
  return (await loadMovieLensWithReport(dir, opts)).dataset;
}
