/**
 * Streaming reader for McAuley's Amazon 2014 binary image features: repeated records of a
 * 10-byte ASIN followed by `dim` (4096) little-endian float32 values. The file is read in
 * chunks (it is tens of GB for large categories); only the requested items are kept.
 *
 * @module
 */
import { DataError } from "./errors.ts";
import { requireFile } from "./files.ts";

/** Options of {@linkcode readAmazonImageFeatures}. */
export interface AmazonImageOptions {
  /** Values per record (default 4096). */
  dim?: number;
  /** Bytes read per chunk (default 16 MiB); small values are for tests. */
  chunkSize?: number;
}

/** Result of {@linkcode readAmazonImageFeatures}. */
export interface AmazonImageFeatures {
  /** Values per item. */
  dim: number;
  /** numItems × dim, zero rows for items without a record. */
  data: Float32Array;
  /** Items that had no record. */
  missing: number;
  /** Records in the file. */
  records: number;
}

/**
 * Streams the file and fills the rows of the items in `itemIndex` (ASIN → dense id). A
 * repeated ASIN among kept items, a non-finite value or a truncated last record is a DataError.
 */
export async function readAmazonImageFeatures(
  path: string,
  itemIndex: (asin: string) => number | undefined,
  numItems: number,
  opts: AmazonImageOptions = {},
): Promise<AmazonImageFeatures> {
  await requireFile(path);
  const dim = opts.dim ?? 4096;
  const recSize = 10 + 4 * dim;
  const chunkSize = Math.max(1, opts.chunkSize ?? 1 << 24);
  const data = new Float32Array(numItems * dim);
  const filled = new Uint8Array(numItems);
  const rec = new Uint8Array(recSize);
  const recView = new DataView(rec.buffer);
  const ascii = new TextDecoder("latin1");
  let have = 0; // bytes of the current record gathered so far
  let records = 0;
  const chunk = new Uint8Array(chunkSize);
  const file = await Deno.open(path, { read: true });
  try {
    while (true) {
      const n = await file.read(chunk);
      if (n === null) break;
      let off = 0;
      while (off < n) {
        const take = Math.min(recSize - have, n - off);
        rec.set(chunk.subarray(off, off + take), have);
        have += take;
        off += take;
        if (have < recSize) break;
        have = 0;
        const asin = ascii.decode(rec.subarray(0, 10)).trim();
        const k = itemIndex(asin);
        records++;
        if (k === undefined) continue;
        if (filled[k]) {
          throw new DataError(
            { file: path, field: `record ${records}` },
            `duplicate ASIN "${asin}"`,
          );
        }
        filled[k] = 1;
        for (let c = 0; c < dim; c++) {
          const v = recView.getFloat32(10 + 4 * c, true);
          if (!Number.isFinite(v)) {
            throw new DataError(
              { file: path, field: `record ${records} (ASIN ${asin}), column ${c}` },
              `non-finite value ${v}`,
            );
          }
          data[k * dim + c] = v;
        }
      }
    }
  } finally {
    file.close();
  }
  if (have !== 0) {
    throw new DataError(
      { file: path },
      `truncated record ${records + 1}: ${have} of ${recSize} bytes (is dim=${dim} right?)`,
    );
  }
  let missing = 0;
  for (let k = 0; k < numItems; k++) missing += 1 - filled[k];
  return { dim, data, missing, records };
}
