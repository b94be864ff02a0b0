/**
 * Assembles a {@linkcode Dataset} from external ids: dense user/item ids in first-seen (or
 * declared) order, unique (user, item) pairs, an attribute CSR with tokens deduplicated per
 * item and an optional frequency cut, and dense modalities aligned to the items. `build()`
 * runs `validateDataset` and returns a {@linkcode LoadReport} of what was skipped.
 *
 * @module
 */
import { buildAttributeCsr } from "./attribute_csr.ts";
import { type Dataset, FEATURE_LIMIT, type Modality, validateDataset } from "./dataset.ts";
import { DataError, type DataErrorLocation } from "./errors.ts";
import type { FeatureRows } from "./features.ts";
import { uniquePairs } from "./pairs.ts";

/** What a loader skipped or filled in, for logs and reports. */
export interface LoadReport {
  /** Free-text remarks, one line each. */
  notes: string[];
  /** Count of skipped rows/values per reason. */
  skipped: Record<string, number>;
  /** Per modality: items without a feature row, filled with zeros. */
  missingFeatureRows: Record<string, number>;
}

/** A dataset together with its load report. */
export interface LoadedDataset {
  /** The validated dataset. */
  dataset: Dataset;
  /** What was skipped or filled. */
  report: LoadReport;
}

/** Options of {@linkcode DatasetBuilder}. */
export interface BuilderOptions {
  /** Dataset name. */
  name: string;
  /** Where it came from (path or description). */
  source: string;
  /**
   * Strict alignment (default false): an unknown item id in an attribute or feature file is an
   * error instead of a skipped row, and so is an item of the interactions without a row in a
   * dense modality (instead of a zero row).
   */
  strict?: boolean;
  /** Keep only attribute tokens carried by at least this many items (default 1). */
  minAttributeFreq?: number;
}

class IdMap {
  readonly index = new Map<string, number>();
  readonly ids: string[] = [];
  fixed = false;
  constructor(readonly kind: string) {}
  get(id: string, loc: DataErrorLocation): number {
    let k = this.index.get(id);
    if (k === undefined) {
      if (this.fixed) throw new DataError(loc, `unknown ${this.kind} id "${id}"`);
      k = this.ids.length;
      this.index.set(id, k);
      this.ids.push(id);
    }
    return k;
  }
  declare(ids: Iterable<string>, file: string, lines?: number[]): void {
    let r = 0;
    for (const id of ids) {
      if (this.index.has(id)) {
        throw new DataError(
          { file, line: lines?.[r], field: this.kind },
          `duplicate ${this.kind} id "${id}"`,
        );
      }
      this.index.set(id, this.ids.length);
      this.ids.push(id);
      r++;
    }
    this.fixed = true;
  }
}

/**
 * Incremental dataset assembly.
 *
 * @example Usage
 * ```ts
 * const b = new DatasetBuilder({ name: "toy", source: "inline" });
 * b.addInteraction("u1", "i1", { file: "inline", line: 1 });
 * b.addItemTokens("i1", ["rock"], { file: "inline" });
 * const { dataset } = b.build();
 * ```
 */
export class DatasetBuilder {
  readonly #opts: BuilderOptions;
  readonly #users = new IdMap("user");
  readonly #items = new IdMap("item");
  #pu = new Int32Array(1024);
  #pi = new Int32Array(1024);
  #n = 0;
  /** Where each item was first seen in the interactions (strict mode names it). */
  readonly #itemSeen: DataErrorLocation[] = [];
  readonly #tokens: (string[] | undefined)[] = [];
  readonly #modalities: Modality[] = [];
  /** The report filled while loading. */
  readonly report: LoadReport = { notes: [], skipped: {}, missingFeatureRows: {} };

  /**
   * Creates an empty builder.
   *
   * @param opts Name, source, strictness and attribute frequency cut.
   */
  constructor(opts: BuilderOptions) {
    this.#opts = opts;
  }

  /** Fixes the user set and order; later unknown users are errors. Duplicates are errors. */
  declareUsers(ids: Iterable<string>, file: string, lines?: number[]): void {
    this.#users.declare(ids, file, lines);
  }

  /** Fixes the item set and order; later unknown items are errors. Duplicates are errors. */
  declareItems(ids: Iterable<string>, file: string, lines?: number[]): void {
    this.#items.declare(ids, file, lines);
  }

  /** Adds one positive (user, item) pair; repeated pairs are dropped at `build()`. */
  addInteraction(user: string, item: string, loc: DataErrorLocation): void {
    if (this.#n === this.#pu.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.#pu = grow(this.#pu);
      this.#pi = grow(this.#pi);
    }
    this.#pu[this.#n] = this.#users.get(user, { ...loc, field: loc.field ?? "user" });
    const k = this.#items.get(item, { ...loc, field: loc.field ?? "item" });
    this.#pi[this.#n] = k;
    if (k === this.#itemSeen.length) this.#itemSeen.push(loc);
    this.#n++;
  }

  /** Counts a skipped row under `reason`. */
  skip(reason: string, n = 1): void {
    this.report.skipped[reason] = (this.report.skipped[reason] ?? 0) + n;
  }

  /** Adds a note line to the report. */
  note(text: string): void {
    this.report.notes.push(text);
  }

  /** Number of interaction rows added so far (before deduplication). */
  get rowCount(): number {
    return this.#n;
  }

  /** Number of users so far. */
  get numUsers(): number {
    return this.#users.ids.length;
  }

  /** Number of items so far. */
  get numItems(): number {
    return this.#items.ids.length;
  }

  /** Dense id of an external user id, or undefined. */
  userIndex(id: string): number | undefined {
    return this.#users.index.get(id);
  }

  /** Dense id of an external item id, or undefined. Freezes the item set. */
  itemIndex(id: string): number | undefined {
    this.#items.fixed = true;
    return this.#items.index.get(id);
  }

  /** External item ids in dense order (a copy). */
  itemIds(): string[] {
    return this.#items.ids.slice();
  }

  #resolveItem(id: string, loc: DataErrorLocation, what: string): number | undefined {
    const k = this.itemIndex(id);
    if (k === undefined) {
      if (this.#opts.strict) {
        throw new DataError(loc, `unknown item id "${id}" (not in the interactions)`);
      }
      this.skip(`${what} rows for unknown items`);
    }
    return k;
  }

  /**
   * Adds attribute tokens to an item (appends on repeated calls). Returns false if the item is
   * unknown and skipped; throws a DataError instead when the builder is strict.
   */
  addItemTokens(item: string, tokens: Iterable<string>, loc: DataErrorLocation): boolean {
    const k = this.#resolveItem(item, { ...loc, field: loc.field ?? "item" }, "attribute");
    if (k === undefined) return false;
    const list = this.#tokens[k] ?? (this.#tokens[k] = []);
    for (const t of tokens) if (t !== "") list.push(t);
    return true;
  }

  /**
   * Aligns feature rows to the items: checks duplicate ids, unknown ids (strict), non-finite
   * values and magnitudes beyond {@linkcode FEATURE_LIMIT}; fills items without a row with zeros
   * and counts them (strict: an item without a row is an error).
   */
  addModality(name: string, rows: FeatureRows): void {
    if (this.#modalities.some((m) => m.name === name)) {
      throw new DataError({ file: rows.file, field: "modality" }, `duplicate modality "${name}"`);
    }
    const { dim, data, ids } = rows;
    if (data.length !== ids.length * dim) {
      throw new DataError(
        { file: rows.file },
        `${ids.length} ids (from ${rows.idFile ?? rows.file}) but ${data.length / dim} rows`,
      );
    }
    const n = this.numItems;
    const out = new Float32Array(n * dim);
    const filled = new Uint8Array(n);
    const seen = new Set<string>();
    for (let r = 0; r < ids.length; r++) {
      const idLoc = { file: rows.idFile ?? rows.file, line: rows.idLines?.[r], field: "item" };
      if (seen.has(ids[r])) throw new DataError(idLoc, `duplicate item id "${ids[r]}"`);
      seen.add(ids[r]);
      const k = this.#resolveItem(ids[r], idLoc, `feature ${name}`);
      for (let c = 0; c < dim; c++) {
        const v = data[r * dim + c];
        if (!Number.isFinite(v) || Math.abs(v) > FEATURE_LIMIT) {
          const line = rows.dataLines?.[r];
          const field = line === undefined ? `row ${r}, column ${c}` : `column ${c + 1}`;
          throw new DataError(
            { file: rows.file, line, field },
            Number.isFinite(v)
              ? `value ${v} is beyond ±${FEATURE_LIMIT} (float32 training overflows on ` +
                `features this large: rescale them)`
              : `non-finite value ${v}`,
          );
        }
      }
      if (k === undefined) continue;
      out.set(data.subarray(r * dim, (r + 1) * dim), k * dim);
      filled[k] = 1;
    }
    let missing = 0;
    for (let k = 0; k < n; k++) missing += 1 - filled[k];
    if (missing > 0 && this.#opts.strict) {
      const k = filled.indexOf(0);
      const seen = this.#itemSeen[k];
      const at = seen ? ` (${seen.file}${seen.line !== undefined ? `:${seen.line}` : ""})` : "";
      throw new DataError(
        { file: rows.idFile ?? rows.file, field: "item" },
        `no row for item "${this.#items.ids[k]}" of the interactions${at}` +
          `${
            missing > 1 ? ` and ${missing - 1} more` : ""
          }; strict: true needs a row for every item`,
      );
    }
    this.attachModality({ name, dim, data: out }, missing);
  }

  /** Attaches a modality already aligned to the items; `missing` rows were zero-filled. */
  attachModality(m: Modality, missing = 0): void {
    this.#items.fixed = true;
    this.#modalities.push(m);
    this.report.missingFeatureRows[m.name] = missing;
    if (missing > 0) this.note(`modality ${m.name}: ${missing} items without features (zero rows)`);
  }

  /** Deduplicates pairs, builds the attribute CSR, validates, and returns dataset + report. */
  build(): LoadedDataset {
    if (this.#n === 0) {
      throw new DataError({ file: this.#opts.source, field: "interactions" }, "no interactions");
    }
    const { dropped, ...interactions } = uniquePairs(this.#pu, this.#pi, this.#n, this.numItems);
    if (dropped > 0) this.skip("duplicate (user, item) pairs", dropped);
    const minFreq = this.#opts.minAttributeFreq ?? 1;
    const csr = buildAttributeCsr(this.numItems, (k) => this.#tokens[k], minFreq);
    if (minFreq > 1) {
      this.note(
        `attributes: kept ${csr.attributes.vocab.length} of ${csr.distinctTokens} tokens with ` +
          `frequency >= ${minFreq} (${csr.droppedPairs} item-token pairs dropped)`,
      );
    }
    const dataset: Dataset = {
      name: this.#opts.name,
      source: this.#opts.source,
      userIds: this.#users.ids.slice(),
      itemIds: this.#items.ids.slice(),
      interactions,
      attributes: csr.attributes,
      modalities: this.#modalities.slice(),
    };
    for (const m of dataset.modalities) {
      if (m.data.length !== dataset.itemIds.length * m.dim) {
        throw new DataError(
          { file: this.#opts.source, field: `modality ${m.name}` },
          "modality was attached before all items were known",
        );
      }
    }
    const active = new Uint8Array(dataset.itemIds.length);
    for (const i of interactions.items) active[i] = 1;
    const idle = active.length - active.reduce((a, b) => a + b, 0);
    if (idle > 0) this.note(`${idle} declared items have no interactions`);
    validateDataset(dataset);
    return { dataset, report: this.report };
  }
}
