import assert from "node:assert/strict";
import { join } from "node:path";
import { writeAtomic, writeResultFiles } from "./write_results.ts";

Deno.test("writeAtomic: writes the file through a temporary one that does not stay", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeResultFiles(join(dir, "out"), { "a.csv": "x\n1\n" });
    assert.equal(await Deno.readTextFile(join(dir, "out", "a.csv")), "x\n1\n");
    assert.deepEqual([...Deno.readDirSync(join(dir, "out"))].map((e) => e.name), ["a.csv"]);
    // Bytes are written as they are.
    await writeAtomic(join(dir, "b.npy"), new Uint8Array([0x93, 0, 255]));
    assert.deepEqual(await Deno.readFile(join(dir, "b.npy")), new Uint8Array([0x93, 0, 255]));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeAtomic: a failed rename removes the temporary file and rethrows", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // A folder where the file should go: the write succeeds, the rename fails.
    const target = join(dir, "report.html");
    await Deno.mkdir(target);
    await assert.rejects(writeAtomic(target, "x".repeat(1000)), Deno.errors.IsADirectory);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["report.html"]);
    // A missing folder: the write fails before anything exists, the write's error comes back.
    await assert.rejects(writeAtomic(join(dir, "no", "a.csv"), "x"), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
