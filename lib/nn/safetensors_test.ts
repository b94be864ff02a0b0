import assert from "node:assert/strict";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";

Deno.test("safetensors round-trips float32 tensors and metadata, data aligned to 8 bytes", () => {
  const tensors = new Map([
    ["a/w", { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, -6.5]) }],
    ["b", { shape: [1], data: new Float32Array([Math.PI]) }],
  ]);
  const bytes = encodeSafetensors(tensors, { note: "x" });
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal(n % 8, 0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  assert.deepEqual(header["a/w"], { dtype: "F32", shape: [2, 3], data_offsets: [0, 24] });
  const back = decodeSafetensors(bytes);
  assert.deepEqual(back.metadata, { note: "x" });
  assert.deepEqual([...back.tensors.get("a/w")!.data], [1, 2, 3, 4, 5, -6.5]);
  assert.equal(back.tensors.get("b")!.data[0], Math.fround(Math.PI));
});

Deno.test("safetensors rejects wrong sizes, other dtypes and truncated files", () => {
  assert.throws(
    () => encodeSafetensors(new Map([["x", { shape: [3], data: new Float32Array(2) }]])),
    /2 values for shape \[3\]/,
  );
  const header = new TextEncoder().encode(
    JSON.stringify({ x: { dtype: "F16", shape: [1], data_offsets: [0, 2] } }),
  );
  const bytes = new Uint8Array(8 + header.length + 2);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
  bytes.set(header, 8);
  assert.throws(() => decodeSafetensors(bytes), /F16, not F32/);
  assert.throws(() => decodeSafetensors(bytes.subarray(0, 12)), /header longer/);
});
