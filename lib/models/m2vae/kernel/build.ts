/**
 * Builds M2VAE's pair-scoring kernel: AssemblyScript (assembly/pair.ts) to WebAssembly with
 * 128-bit SIMD, written to pair.wasm beside this file, which is committed so that scoring needs
 * no compiler. `--check` builds in memory and fails unless the bytes equal the committed file
 * (CI runs it, so the binary cannot drift from its source).
 *
 *   deno task build:kernel            # rebuild pair.wasm
 *   deno task build:kernel --check    # verify pair.wasm against the source
 *
 * @module
 */
import asc from "assemblyscript/asc";

/** The source and the committed binary. */
export const KERNEL_SOURCE = new URL("./assembly/pair.ts", import.meta.url);
export const KERNEL_WASM = new URL("./pair.wasm", import.meta.url);

/**
 * The compiler's flags: SIMD on, no garbage-collected runtime (the kernel allocates nothing; the
 * caller owns the memory), speed-optimised, assertions off.
 */
export const ASC_FLAGS = [
  "--enable",
  "simd",
  "--runtime",
  "stub",
  "--optimizeLevel",
  "3",
  "--shrinkLevel",
  "0",
  "--noAssert",
];

/** Compiles the kernel and returns the .wasm bytes (nothing is written). */
export async function buildKernel(): Promise<Uint8Array> {
  const source = await Deno.readTextFile(KERNEL_SOURCE);
  let wasm: Uint8Array | null = null;
  let log = "";
  const sink = { write: (s: string | Uint8Array) => (log += String(s), true) };
  const { error } = await asc.main(["pair.ts", "--outFile", "pair.wasm", ...ASC_FLAGS], {
    readFile: (name: string) => (name === "pair.ts" ? source : null),
    writeFile: (name: string, contents: Uint8Array | string) => {
      if (name === "pair.wasm" && typeof contents !== "string") wasm = new Uint8Array(contents);
    },
    listFiles: () => [],
    stdout: sink,
    stderr: sink,
  } as any);
  if (error) throw new Error(`asc failed: ${error.message}\n${log}`);
  if (wasm === null) throw new Error(`asc wrote no pair.wasm\n${log}`);
  return wasm;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function sha256(b: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", b as BufferSource));
  return [...d].map((x) => x.toString(16).padStart(2, "0")).join("");
}

if (import.meta.main) {
  const check = Deno.args.includes("--check");
  const built = await buildKernel();
  const path = KERNEL_WASM.pathname;
  if (check) {
    const committed = await Deno.readFile(KERNEL_WASM).catch(() => new Uint8Array());
    if (!sameBytes(built, committed)) {
      console.error(
        `${path} does not match assembly/pair.ts: built ${built.length} bytes ` +
          `(sha256 ${await sha256(built)}), committed ${committed.length} bytes ` +
          `(sha256 ${await sha256(committed)}). Run \`deno task build:kernel\` and commit it.`,
      );
      Deno.exit(1);
    }
    console.log(
      `${path}: matches its source (${built.length} bytes, sha256 ${await sha256(built)})`,
    );
  } else {
    await Deno.writeFile(KERNEL_WASM, built);
    console.log(`wrote ${path} (${built.length} bytes, sha256 ${await sha256(built)})`);
  }
}
