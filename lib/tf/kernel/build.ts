/**
 * Builds the toolkit's WebAssembly kernels: each AssemblyScript source `…/assembly/NAME.ts` to
 * `…/NAME.wasm`, beside its `assembly/` folder, with 128-bit SIMD. The .wasm files are committed
 * so that nothing needs a compiler at run time. `--check` builds in memory and fails unless the
 * bytes equal the committed files (CI runs it, so no binary can drift from its source). The
 * sources are named on the command line; the `build:kernel` task lists every kernel:
 *
 *   deno task build:kernel            # rebuild every kernel
 *   deno task build:kernel --check    # verify the committed binaries against their sources
 *
 * @example Usage
 * ```ts
 * import { buildKernel } from "./build.ts";
 * const wasm = await buildKernel(new URL("./assembly/matmul_at.ts", import.meta.url));
 * wasm.length; // the bytes matmul_at.wasm must hold
 * ```
 *
 * @module
 */
import asc from "assemblyscript/asc";

/**
 * The compiler's flags: SIMD and relaxed SIMD (its fused multiply-add) on, no garbage-collected runtime (the kernels allocate nothing; the
 * caller owns the memory), speed-optimised, assertions off.
 */
export const ASC_FLAGS = [
  "--enable",
  "simd",
  "--enable",
  "relaxed-simd",
  "--runtime",
  "stub",
  "--optimizeLevel",
  "3",
  "--shrinkLevel",
  "0",
  "--noAssert",
];

/** Where the kernel compiled from `source` (`…/assembly/NAME.ts`) is committed: `…/NAME.wasm`. */
export function wasmFor(source: URL): URL {
  const name = source.pathname.split("/").pop()!.replace(/\.ts$/, ".wasm");
  return new URL(`../${name}`, source);
}

/** Compiles one kernel source and returns the .wasm bytes (nothing is written). */
export async function buildKernel(sourceUrl: URL): Promise<Uint8Array> {
  const source = await Deno.readTextFile(sourceUrl);
  let wasm: Uint8Array | null = null;
  let log = "";
  const sink = { write: (s: string | Uint8Array) => (log += String(s), true) };
  const { error } = await asc.main(["kernel.ts", "--outFile", "kernel.wasm", ...ASC_FLAGS], {
    readFile: (name: string) => (name === "kernel.ts" ? source : null),
    writeFile: (name: string, contents: Uint8Array | string) => {
      if (name === "kernel.wasm" && typeof contents !== "string") wasm = new Uint8Array(contents);
    },
    listFiles: () => [],
    stdout: sink,
    stderr: sink,
  } as any);
  if (error) throw new Error(`asc failed on ${sourceUrl.pathname}: ${error.message}\n${log}`);
  if (wasm === null) throw new Error(`asc wrote no .wasm for ${sourceUrl.pathname}\n${log}`);
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
  const sources = Deno.args.filter((a) => a !== "--check");
  if (sources.length === 0) {
    console.error("build:kernel: name the kernel sources (…/assembly/NAME.ts)");
    Deno.exit(1);
  }
  let failed = false;
  for (const s of sources) {
    const source = new URL(s, `file://${Deno.cwd()}/`);
    const target = wasmFor(source), path = target.pathname;
    const built = await buildKernel(source);
    const sum = await sha256(built);
    if (check) {
      const committed = await Deno.readFile(target).catch(() => new Uint8Array());
      if (!sameBytes(built, committed)) {
        console.error(
          `${path} does not match ${s}: built ${built.length} bytes (sha256 ${sum}), ` +
            `committed ${committed.length} bytes (sha256 ${await sha256(committed)}). ` +
            "Run `deno task build:kernel` and commit it.",
        );
        failed = true;
      } else console.log(`${path}: matches its source (${built.length} bytes, sha256 ${sum})`);
    } else {
      await Deno.writeFile(target, built);
      console.log(`wrote ${path} (${built.length} bytes, sha256 ${sum})`);
    }
  }
  if (failed) Deno.exit(1);
}
