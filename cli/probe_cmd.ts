/**
 * `probe --trial HASH [--part test|valid]`: a finished trial's kept checkpoint scored by its
 * model's main scorer and by each alternative scorer (M2VAE: `shared`, common view only;
 * `noLatent`, z = 0), with main − probe per metric — whether the user-aware fusion and the
 * latent path act at inference, read off any stored checkpoint — and, under item2user, how far
 * the ranking follows user activity and where its hits fall (reach, hits per reached item, by
 * the items' number of users).
 *
 * @module
 */
import { markdownTable } from "markdown-table";
import {
  type HitSpread,
  probeActivity,
  type ProbeRow,
  probeSpread,
  probeTrial,
  withLoadedTrial,
} from "../lib/analysis/mod.ts";
import { DEFAULT_STORE } from "../lib/run/mod.ts";
import { act, type Command, command, type Exit } from "./command.ts";

/** Options of `probe`. */
interface ProbeOptions {
  trial: string;
  part: string;
  store: string;
  format: string;
  cacheDir: string;
}

/** The `probe` command. */
export function probeCli(exit: Exit): Command {
  const cmd = command(
    "probe",
    "a trial's checkpoint scored by its main and alternative scorers (M2VAE: common view " +
      "only, z = 0), with the gaps",
    [
      "deno task probe --trial 3d085a4b",
      "deno task probe --trial 3d085a4b --part valid --format json",
    ],
  )
    .requiredOption("--trial <hash>", "trial key, or an unambiguous prefix of it (4+ hex digits)")
    .option("--part <part>", "test or valid", "test")
    .option("--store <file>", "result store", DEFAULT_STORE)
    .option("--format <format>", "md or json", "md")
    .option("--cache-dir <dir>", "caches shared by trials, as when the trial ran", ".cache");
  return act(cmd, exit, (o: ProbeOptions) => probeCommand(o));
}

/** The rows as a markdown table: one row per scorer, metric and gap columns. */
export function probeTable(rows: ProbeRow[]): string {
  const metrics = Object.keys(rows[0].metrics);
  return markdownTable(
    [
      ["scorer", ...metrics, ...metrics.map((m) => `gap ${m}`)],
      ...rows.map((r) => [
        r.scorer,
        ...metrics.map((m) => r.metrics[m].toFixed(4)),
        ...metrics.map((m) => r.gap ? r.gap[m].toFixed(4) : ""),
      ]),
    ],
    { align: ["l", ...metrics.map(() => "r"), ...metrics.map(() => "r")] },
  );
}

/**
 * The hit spread as a markdown table: one row for every item and one per group of items by their
 * number of users, with HR@K, NDCG@K and their parts at each K.
 */
export function spreadTable(s: HitSpread): string {
  const cols = s.ks.flatMap((k) => [
    `HR@${k}`,
    `NDCG@${k}`,
    `Reach@${k}`,
    `HitsPerReached@${k}`,
    `NDCGReached@${k}`,
  ]);
  const range = (lo: number, hi: number) =>
    hi === Infinity ? `${lo}+` : lo === hi ? `${lo}` : `${lo}–${hi}`;
  const row = (name: string, items: number, m: Record<string, number>) => [
    name,
    String(items),
    ...cols.map((c) => m[c].toFixed(c.startsWith("HitsPerReached") ? 2 : 4)),
  ];
  const all = s.groups.reduce((n, g) => n + g.items, 0);
  return markdownTable(
    [
      ["items' users", "items", ...cols],
      row("all", all, s.overall),
      ...s.groups.map((g) => row(range(g.lo, g.hi), g.items, g.metrics)),
    ],
    { align: ["l", "r", ...cols.map(() => "r")] },
  );
}

/** Prints the probe table; returns the exit code. */
export async function probeCommand(o: ProbeOptions): Promise<number> {
  const part = o.part;
  if (part !== "test" && part !== "valid") {
    throw new RangeError(`--part: expected test or valid, got "${part}"`);
  }
  if (o.format !== "md" && o.format !== "json") {
    throw new RangeError(`--format: expected md or json, got "${o.format}"`);
  }
  return await withLoadedTrial(o, async (t) => {
    const spec = t.info.spec;
    const rows = await probeTrial(t, part);
    const activity = await probeActivity(t, part);
    const spread = await probeSpread(t, part);
    if (o.format === "json") {
      for (const r of rows) console.log(JSON.stringify({ trial: spec.key, ...r }));
      if (activity) console.log(JSON.stringify({ trial: spec.key, activity }));
      if (spread) console.log(JSON.stringify({ trial: spec.key, spread }));
    } else {
      console.log(
        `${spec.label} on ${spec.dataset}, trial ${spec.key} (seed ${spec.seed}), ${o.part} ` +
          "items: gap = main − scorer\n",
      );
      console.log(probeTable(rows));
      if (activity) {
        console.log(
          `\nUser activity: ${activity.ranked.toFixed(3)} of each item's top-${activity.k} users ` +
            `are among the ${activity.top * 100} % most active training users ` +
            `(${activity.activeUsers}); among its true users ${activity.positives.toFixed(3)} ` +
            "(1 = ranks by activity whatever the item, as the Popularity floor)",
        );
        console.log(
          `Shared ranking: each item's scores of the users correlate ` +
            `${activity.shared.correlation.toFixed(3)} on average with the users' mean score ` +
            `over the ${activity.shared.items} items (1 = every item ranks the users alike)`,
        );
      }
      if (spread) {
        console.log(
          "\nWhere the hits fall: Reach@K = share of items with a hit in their top K, " +
            "HitsPerReached@K = their mean hits, NDCGReached@K = their mean NDCG@K " +
            "(NDCG@K = Reach × NDCGReached, HR@K = Reach × HitsPerReached / K), for every item " +
            "and by the items' number of users in the part\n",
        );
        console.log(spreadTable(spread));
        console.log(
          "\nDistinct users in the items' top lists, over items × K (1 = no user is recommended " +
            "for two items): " +
            spread.ks.map((k) => `@${k} ${spread.overall[`Distinct@${k}`].toFixed(3)}`).join(", "),
        );
      }
    }
    return 0;
  });
}
