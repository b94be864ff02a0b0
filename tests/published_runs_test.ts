/**
 * The published result stores in `runs/` stay readable by the current code: each opens (on a
 * copy, so a schema migration never rewrites the committed file), every experiment in it renders
 * its Table 3, and `runs/README.md` lists exactly the stores that are there.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { renderMarkdown, storeReport } from "../lib/report/mod.ts";
import { ResultStore } from "../lib/store/mod.ts";

const runs = new URL("../runs/", import.meta.url).pathname;

function storesIn(dir: string): string[] {
  return [...Deno.readDirSync(dir)]
    .filter((e) => e.isFile && e.name.endsWith(".sqlite"))
    .map((e) => e.name)
    .sort();
}

Deno.test("runs/README.md lists exactly the stores in runs/", () => {
  const stores = storesIn(runs);
  assert.ok(stores.length > 0, "runs/ holds no store");
  const readme = Deno.readTextFileSync(join(runs, "README.md"));
  const listed = [...readme.matchAll(/`([\w.-]+\.sqlite)`/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(listed)].sort(), stores);
});

Deno.test("every published store renders every experiment's Table 3", async () => {
  for (const name of storesIn(runs)) {
    const tmp = Deno.makeTempDirSync();
    try {
      // A copy: opening migrates an older store in place, and the committed file must not move.
      Deno.copyFileSync(join(runs, name), join(tmp, name));
      const store = await ResultStore.open(join(tmp, name), { mustExist: true });
      try {
        const experiments = await store.experiments();
        assert.ok(experiments.length > 0, `${name}: no experiment`);
        for (const e of experiments) {
          const report = await storeReport(store, e.name, ["table3"]);
          assert.ok(report.done > 0, `${name}/${e.name}: no finished trial`);
          const md = renderMarkdown(report.tables[0].table);
          assert.match(md, /\| Model/, `${name}/${e.name}: no Table 3`);
        }
      } finally {
        await store.close();
      }
    } finally {
      Deno.removeSync(tmp, { recursive: true });
    }
  }
});
