import type { MatmulLayout } from "../backend.ts";
import type { DataArray } from "../dtype.ts";
import { allocArray, dtypeOfArray } from "../dtype.ts";

/** Columns of C computed per block, so the block of Bᵀ rows stays in cache while rows of A pass. */
const COLUMN_BLOCK = 64;

/**
 * Batched matrix product. Each product is computed as dot products of rows of A with rows of
 * Bᵀ (both packed contiguous), in 2×4 register tiles over column blocks of C, accumulating in
 * float64 and rounding once per element.
 *
 * @param a The A matrices.
 * @param b The B matrices.
 * @param layout Sizes, transposes and batch strides.
 * @returns `[batch, m, n]`.
 */
export function matmulKernel(a: DataArray, b: DataArray, layout: MatmulLayout): DataArray {
  const { batch, m, n, k, transA, transB, aBatchStride, bBatchStride } = layout;
  const dtype = dtypeOfArray(a);
  const c = allocArray(dtype, batch * m * n);
  const packedA = transA ? allocArray(dtype, m * k) : a;
  const packedB = transB ? b : allocArray(dtype, n * k);
  for (let t = 0; t < batch; t++) {
    let aOff = t * aBatchStride;
    let bOff = t * bBatchStride;
    if (transA && (t === 0 || aBatchStride !== 0)) transposeInto(a, aOff, k, m, packedA);
    if (!transB && (t === 0 || bBatchStride !== 0)) transposeInto(b, bOff, k, n, packedB);
    if (transA) aOff = 0;
    if (!transB) bOff = 0;
    gemmRowsByRows(packedA, aOff, packedB, bOff, c, t * m * n, m, n, k);
  }
  return c;
}

/** Writes the transpose of the `rows × cols` matrix at `src[off…]` into `dst` (`cols × rows`). */
function transposeInto(
  src: DataArray,
  off: number,
  rows: number,
  cols: number,
  dst: DataArray,
): void {
  const T = 32;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(rows, r0 + T);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(cols, c0 + T);
      for (let r = r0; r < r1; r++) {
        for (let q = c0; q < c1; q++) dst[q * rows + r] = src[off + r * cols + q];
      }
    }
  }
}

/** `C[i,j] = Σ_p A[i,p]·Bt[j,p]` with A `m×k` and Bt `n×k`, both row-major. */
function gemmRowsByRows(
  A: DataArray,
  aOff: number,
  Bt: DataArray,
  bOff: number,
  C: DataArray,
  cOff: number,
  m: number,
  n: number,
  k: number,
): void {
  for (let j0 = 0; j0 < n; j0 += COLUMN_BLOCK) {
    const j1 = Math.min(n, j0 + COLUMN_BLOCK);
    let i = 0;
    for (; i + 1 < m; i += 2) {
      const a0 = aOff + i * k;
      const a1 = a0 + k;
      const c0 = cOff + i * n;
      const c1 = c0 + n;
      let j = j0;
      for (; j + 3 < j1; j += 4) {
        const b0 = bOff + j * k;
        const b1 = b0 + k;
        const b2 = b1 + k;
        const b3 = b2 + k;
        let s00 = 0;
        let s01 = 0;
        let s02 = 0;
        let s03 = 0;
        let s10 = 0;
        let s11 = 0;
        let s12 = 0;
        let s13 = 0;
        for (let p = 0; p < k; p++) {
          const x0 = A[a0 + p];
          const x1 = A[a1 + p];
          const y0 = Bt[b0 + p];
          const y1 = Bt[b1 + p];
          const y2 = Bt[b2 + p];
          const y3 = Bt[b3 + p];
          s00 += x0 * y0;
          s01 += x0 * y1;
          s02 += x0 * y2;
          s03 += x0 * y3;
          s10 += x1 * y0;
          s11 += x1 * y1;
          s12 += x1 * y2;
          s13 += x1 * y3;
        }
        C[c0 + j] = s00;
        C[c0 + j + 1] = s01;
        C[c0 + j + 2] = s02;
        C[c0 + j + 3] = s03;
        C[c1 + j] = s10;
        C[c1 + j + 1] = s11;
        C[c1 + j + 2] = s12;
        C[c1 + j + 3] = s13;
      }
      for (; j < j1; j++) {
        const b0 = bOff + j * k;
        let s0 = 0;
        let s1 = 0;
        for (let p = 0; p < k; p++) {
          const y = Bt[b0 + p];
          s0 += A[a0 + p] * y;
          s1 += A[a1 + p] * y;
        }
        C[c0 + j] = s0;
        C[c1 + j] = s1;
      }
    }
    if (i < m) {
      const a0 = aOff + i * k;
      for (let j = j0; j < j1; j++) {
        const b0 = bOff + j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += A[a0 + p] * Bt[b0 + p];
        C[cOff + i * n + j] = s;
      }
    }
  }
}
