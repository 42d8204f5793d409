/** Matrix products (csrc/gemm.c): cache-blocked SIMD GEMM split over threads, BLAS when large. */
import type { Backend, MatmulLayout, Storage } from "@kiso/tensor/backend";
import { isFloat, type Runtime, suffix } from "../_runtime.ts";
import type { Call } from "../_threads.ts";

/** Below this many multiply-adds a product stays on one thread (a hand-off costs microseconds). */
const PARALLEL_GEMM = 1 << 17;
/**
 * Below this many multiply-adds a product stays in WebAssembly even with BLAS (above it BLAS is
 * faster, and keeping the products off the worker threads spares them competing with BLAS's own).
 */
const BLAS_GEMM = 1 << 15;
/** Batched products by a transposed B with fewer rows than this stay in WebAssembly with BLAS. */
const BLAS_MIN_ROWS_BT = 32;
/**
 * A product with at most this many outputs and at least `SPLIT_K` terms per output (the
 * filters' gradient of a convolution, `gᵀ·patches`) is cut along k into `K_PARTS` partial
 * products summed in order, so that threads can share it. The cut depends on the shape only,
 * so the sums are the same on any number of threads.
 */
const SPLIT_OUTPUTS = 1 << 14;
const SPLIT_K = 4096;
const K_PARTS = 4;

/** The exports of csrc/gemm.c that workers may call. */
export const GEMM_EXPORTS = [
  "gemm_float",
  "gemm_double",
  "gemm_parts_float",
  "gemm_parts_double",
] as const;

/**
 * The matrix product kernel.
 *
 * @param rt The backend's runtime.
 * @param scratch One scratch block (byte offset) per thread, `gemm_scratch_elements()` doubles each.
 */
export function gemmKernels(rt: Runtime, scratch: readonly number[]): Pick<Backend, "matmul"> {
  return {
    matmul(a: Storage, b: Storage, layout: MatmulLayout): Storage {
      const A = rt.own(a, "matmul");
      const B = rt.own(b, "matmul");
      if (!isFloat(A)) return rt.viaCpu("matmul", a, b, layout);
      let { batch, m, aBatchStride } = layout;
      const { n, k, transA, transB, bBatchStride } = layout;
      // A stack of A matrices times one B is one tall product
      if (batch > 1 && bBatchStride === 0 && !transA && aBatchStride === m * k) {
        m *= batch;
        batch = 1;
        aBatchStride = 0;
      }
      const out = rt.alloc(A.dtype, layout.batch * layout.m * n);
      const f64 = A.dtype === "float64";
      const blas = rt.blas;
      // (a batch of products of few rows by a transposed B, a convolution's filters by each
      // image's patches, is faster here than in OpenBLAS, one call per product)
      const fewRowsByBt = batch > 1 && transB && m < BLAS_MIN_ROWS_BT;
      if (typeof blas !== "string" && m * n * k >= BLAS_GEMM && !fewRowsByBt) {
        const e = f64 ? 8 : 4;
        for (let t = 0; t < batch; t++) {
          blas.gemm(
            f64,
            transA,
            transB,
            m,
            n,
            k,
            A.handle + t * aBatchStride * e,
            B.handle + t * bBatchStride * e,
            out.handle + t * m * n * e,
          );
        }
        return out;
      }
      const lda = transA ? m : k;
      const ldb = transB ? k : n;
      const threads = batch * m * n * k < PARALLEL_GEMM ? 1 : rt.threads;
      if (batch === 1 && m * n <= SPLIT_OUTPUTS && k >= SPLIT_K) {
        const partials = rt.alloc(A.dtype, K_PARTS * m * n);
        const args = [K_PARTS, m, n, k, A.handle, lda, +transA, B.handle, ldb, +transB];
        rt.parallel(
          rt.split(K_PARTS, 1, threads).map((
            [q0, q1],
            t,
          ) => [`gemm_parts_${suffix(A)}`, [q0, q1, ...args, partials.handle, scratch[t]]]),
        );
        rt.call(`gemm_sum_${suffix(A)}`, [out.handle, partials.handle, K_PARTS, m * n, 0, m * n]);
        rt.storages.dispose(partials, "matmul");
        return out;
      }
      const name = `gemm_${suffix(A)}`;
      const args = (
        b0: number,
        b1: number,
        m0: number,
        m1: number,
        n0: number,
        n1: number,
        t: number,
      ): Call => [
        name,
        [
          b0,
          b1,
          m0,
          m1,
          n0,
          n1,
          m,
          n,
          k,
          A.handle,
          aBatchStride,
          lda,
          +transA,
          B.handle,
          bBatchStride,
          ldb,
          +transB,
          out.handle,
          scratch[t],
        ],
      ];
      let calls: Call[];
      if (batch >= threads * 2 || (batch >= threads && batch % threads === 0)) {
        calls = rt.split(batch, 1, threads).map(([b0, b1], t) => args(b0, b1, 0, m, 0, n, t));
      } else if (m >= n) {
        // whole register tiles (4 rows of floats, 6 of doubles) per thread
        calls = rt.split(m, f64 ? 6 : 4, threads).map(([m0, m1], t) =>
          args(0, batch, m0, m1, 0, n, t)
        );
      } else {
        calls = rt.split(n, 8, threads).map(([n0, n1], t) => args(0, batch, 0, m, n0, n1, t));
      }
      rt.parallel(calls);
      return out;
    },
  };
}
