/**
 * Native BLAS through Deno's FFI: `cblas_sgemm`/`cblas_dgemm` of OpenBLAS (Linux) or Accelerate
 * (macOS), called directly on the shared WebAssembly memory.
 */

/** A loaded BLAS: GEMM on byte offsets of the memory, and where it came from. */
export interface Blas {
  /** The library's path. */
  readonly path: string;
  /** `C = op(A)·op(B)` for one row-major product of `dtype` at byte offsets `a`, `b`, `c`. */
  gemm(
    f64: boolean,
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: number,
    b: number,
    c: number,
  ): void;
}

const CANDIDATES: Record<string, readonly string[]> = {
  linux: [
    "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
    "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
    "libopenblas.so.0",
    "libopenblasp.so.0",
    "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
    "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
  ],
  darwin: ["/System/Library/Frameworks/Accelerate.framework/Accelerate"],
};

const GEMM_ARGS = [
  "i32",
  "i32",
  "i32",
  "i32",
  "i32",
  "i32",
  "f64",
  "pointer",
  "i32",
  "pointer",
  "i32",
  "f64",
  "pointer",
  "i32",
] as const;

const SYMBOLS = {
  cblas_sgemm: {
    parameters: [
      ...GEMM_ARGS.slice(0, 6),
      "f32",
      ...GEMM_ARGS.slice(7, 11),
      "f32",
      ...GEMM_ARGS.slice(12),
    ],
    result: "void",
  },
  cblas_dgemm: { parameters: [...GEMM_ARGS], result: "void" },
} as const;

const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

/**
 * Opens a BLAS library, or explains why none could be opened.
 *
 * @param memory The shared memory the products read and write.
 * @param path A library path, or `"auto"` to try the usual ones.
 * @param threads Threads BLAS may use.
 * @returns The library, or the reason it is missing.
 */
export function openBlas(
  memory: WebAssembly.Memory,
  path: string,
  threads: number,
): Blas | string {
  if (typeof Deno === "undefined" || typeof Deno.dlopen !== "function") return "no Deno FFI";
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") {
    return "FFI permission not granted (--allow-ffi)";
  }
  // OpenBLAS built with OpenMP crashes at exit while its threads spin: make them sleep instead
  if (Deno.env.get("OMP_WAIT_POLICY") === undefined) {
    if (
      Deno.permissions.querySync({ name: "env", variable: "OMP_WAIT_POLICY" }).state !== "granted"
    ) {
      return "env permission for OMP_WAIT_POLICY not granted (OpenMP OpenBLAS needs it set)";
    }
    Deno.env.set("OMP_WAIT_POLICY", "PASSIVE");
  }
  const paths = path === "auto" ? CANDIDATES[Deno.build.os] ?? [] : [path];
  const errors: string[] = [];
  for (const candidate of paths) {
    try {
      const lib = Deno.dlopen(candidate, SYMBOLS);
      setThreads(candidate, threads);
      const { cblas_sgemm, cblas_dgemm } = lib.symbols;
      return {
        path: candidate,
        gemm(f64, transA, transB, m, n, k, a, b, c): void {
          const base = Deno.UnsafePointer.of(new Uint8Array(memory.buffer));
          const at = (offset: number): Deno.PointerValue =>
            Deno.UnsafePointer.offset(base!, offset);
          const gemm = f64 ? cblas_dgemm : cblas_sgemm;
          gemm(
            ROW_MAJOR,
            transA ? TRANS : NO_TRANS,
            transB ? TRANS : NO_TRANS,
            m,
            n,
            k,
            1,
            at(a),
            transA ? m : k,
            at(b),
            transB ? k : n,
            0,
            at(c),
            n,
          );
        },
      };
    } catch (e) {
      errors.push(`${candidate}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return errors.length > 0 ? errors.join("; ") : `no BLAS known for ${Deno.build.os}`;
}

/** Sets OpenBLAS's thread count where the library has the setter (Accelerate has none). */
function setThreads(path: string, threads: number): void {
  try {
    const lib = Deno.dlopen(path, {
      openblas_set_num_threads: { parameters: ["i32"], result: "void" },
    });
    lib.symbols.openblas_set_num_threads(threads);
  } catch {
    // not OpenBLAS
  }
}
