import assert from "node:assert/strict";
import { peakRssGiB } from "./memory.ts";

Deno.test("peakRssGiB: positive, and never below the current resident set", () => {
  const peak = peakRssGiB();
  assert.ok(peak > 0);
  assert.ok(peak * 2 ** 30 >= Deno.memoryUsage().rss * 0.99);
});
