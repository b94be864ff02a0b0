import assert from "node:assert/strict";
import { DataError } from "./errors.ts";
import { encodeNpy, parseNpy, readNpy } from "./npy.ts";

Deno.test("npy round trip for every dtype and header version", () => {
  const vals = [1.5, -2, 3.25, 4, 0, 7];
  for (const descr of ["<f4", "<f8", "<i4", "<i8"] as const) {
    for (const version of [1, 2, 3] as const) {
      const bytes = encodeNpy(vals.map((v) => (descr.includes("i") ? Math.trunc(v) : v)), [2, 3], {
        descr,
        version,
      });
      const size = descr.endsWith("8") ? 8 : 4;
      assert.equal((bytes.length - 6 * size) % 64, 0, "data starts on a 64-byte boundary");
      assert.equal(bytes[6], version);
      const arr = parseNpy(bytes, "x.npy");
      assert.deepEqual(arr.shape, [2, 3]);
      assert.equal(arr.descr, descr);
      assert.ok(arr.data instanceof Float32Array);
      const want = descr.includes("i") ? vals.map(Math.trunc) : vals;
      assert.deepEqual(Array.from(arr.data), want);
    }
  }
});

Deno.test("float64 .npy is converted to float32", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeFile(
    `${dir}/v.npy`,
    encodeNpy([0.1, 1e-3, 123456.789], [3, 1], { descr: "<f8" }),
  );
  const arr = await readNpy(`${dir}/v.npy`);
  assert.deepEqual(Array.from(arr.data), Array.from(Float32Array.from([0.1, 1e-3, 123456.789])));
});

Deno.test("Fortran order, object dtype, bad magic and short data are rejected naming the file", () => {
  const fortran = encodeNpy([1, 2, 3, 4], [2, 2], { fortranOrder: true });
  assert.throws(
    () => parseNpy(fortran, "feat.npy"),
    (e) =>
      e instanceof DataError &&
      /^feat\.npy: field "fortran_order": Fortran-ordered/.test(e.message),
  );
  const obj = encodeNpy([1, 2], [2]);
  const at = new TextDecoder("latin1").decode(obj).indexOf("<f4");
  obj.set(new TextEncoder().encode("|O8"), at);
  assert.throws(
    () => parseNpy(obj, "obj.npy"),
    (e) =>
      e instanceof DataError && /obj\.npy: field "descr": unsupported dtype "\|O8"/.test(e.message),
  );
  assert.throws(() => parseNpy(new Uint8Array(20), "z.npy"), /z\.npy: not a \.npy file/);
  const short = encodeNpy([1, 2, 3, 4], [2, 2]).subarray(0, -4);
  assert.throws(() => parseNpy(short, "s.npy"), /s\.npy: data too short/);
});

Deno.test("readNpy on a missing file names the path", async () => {
  await assert.rejects(() => readNpy("/no/such/x.npy"), /\/no\/such\/x\.npy: file not found/);
});
