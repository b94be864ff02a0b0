/**
 * A cold-start split taken as is from the split a dataset ships with (e.g. citeulike-a's ALDI split).
 *
 * @module
 */
import type { Dataset, Interactions } from "../data/dataset.ts";
import { DataError } from "../data/errors.ts";
import { itemsOf, usersOf } from "./cold_split.ts";
import { splitFingerprint } from "./fingerprint.ts";
import type { ColdSplit } from "./types.ts";

/**
 * Builds a {@linkcode ColdSplit} from `ds.providedSplit`: the parts' items are the distinct items
 * of the provided train / valid / test interactions, and the interactions are used unchanged.
 *
 * Throws a DataError (naming the split's source) when the dataset has no provided split, when an
 * id is out of range, when a part is empty, when a held-out (validation or test) pair is listed
 * twice, when a cold item has a training interaction, or when an item is both a validation and a
 * test item.
 *
 * @example Usage
 * ```ts
 * const split = providedColdSplit(ds); // description: "provided (<source>)"
 * ```
 */
export function providedColdSplit(ds: Dataset): ColdSplit {
  const ps = ds.providedSplit;
  if (!ps) {
    throw new DataError(
      { file: ds.source || ds.name, field: "providedSplit" },
      `dataset "${ds.name}" ships no cold-start split; use a seeded item split instead`,
    );
  }
  const numUsers = ds.userIds.length, numItems = ds.itemIds.length;
  const named: [string, Interactions][] = [["train", ps.train], ["valid", ps.valid], [
    "test",
    ps.test,
  ]];
  for (const [name, p] of named) {
    const fail = (detail: string) => {
      throw new DataError({ file: ps.source, field: name }, detail);
    };
    if (p.users.length !== p.items.length) fail("users and items differ in length");
    if (p.users.length === 0) fail("no interactions: every part must be non-empty");
    const seen = new Set<number>();
    for (let k = 0; k < p.users.length; k++) {
      if (!(p.users[k] >= 0 && p.users[k] < numUsers)) {
        fail(`user id ${p.users[k]} not in [0, ${numUsers})`);
      }
      if (!(p.items[k] >= 0 && p.items[k] < numItems)) {
        fail(`item id ${p.items[k]} not in [0, ${numItems})`);
      }
      // A held-out pair listed twice would count twice among its query's positives.
      const pair = p.users[k] * numItems + p.items[k];
      if (name !== "train" && seen.has(pair)) {
        fail(
          `user "${ds.userIds[p.users[k]]}" and item "${ds.itemIds[p.items[k]]}" are listed twice`,
        );
      }
      seen.add(pair);
    }
  }
  const trainItems = itemsOf(ps.train, numItems);
  const validItems = itemsOf(ps.valid, numItems);
  const testItems = itemsOf(ps.test, numItems);
  const warm = new Uint8Array(numItems);
  for (const i of trainItems) warm[i] = 1;
  const cold = new Uint8Array(numItems);
  for (const [name, part] of [["valid", validItems], ["test", testItems]] as const) {
    for (const i of part) {
      if (warm[i]) {
        throw new DataError(
          { file: ps.source, field: name },
          `cold ${name} item "${ds.itemIds[i]}" has training interactions`,
        );
      }
      if (cold[i]) {
        throw new DataError(
          { file: ps.source, field: name },
          `item "${ds.itemIds[i]}" is both a validation and a test item`,
        );
      }
      cold[i] = 1;
    }
  }
  const base = { trainItems, validItems, testItems, train: ps.train };
  return {
    numUsers,
    numItems,
    ...base,
    valid: ps.valid,
    test: ps.test,
    trainUsers: usersOf(ps.train, numUsers),
    description: `provided (${ps.source})`,
    fingerprint: splitFingerprint(base),
  };
}
