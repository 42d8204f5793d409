import type { SoftmaxLayout } from "../backend.ts";
import type { DataArray } from "../dtype.ts";
import { allocArray, dtypeOfArray } from "../dtype.ts";

/**
 * Softmax over each row of `[rows, size]`, a row whose entries are all −∞ giving zeros, rounded
 * where the composed ops round (each stored intermediate in the dtype, sums accumulated in
 * float64 in order), so the fused and composed paths give the same bits:
 * m = max x, shift = m unless it is −∞ (then 0), e = exp(x − shift), s = Σ e,
 * y = e / (s, or 1 where s = 0).
 *
 * @param x The scores.
 * @param layout The sizes.
 * @returns The probabilities.
 */
export function maskedSoftmaxKernel(x: DataArray, { rows, size }: SoftmaxLayout): DataArray {
  const y = allocArray(dtypeOfArray(x), rows * size);
  const sum = allocArray(dtypeOfArray(x), 1);
  for (let row = 0; row < rows; row++) {
    const at = row * size;
    let m = -Infinity;
    for (let j = 0; j < size; j++) if (x[at + j] > m || x[at + j] !== x[at + j]) m = x[at + j];
    const shift = m === -Infinity ? 0 : m;
    // y holds the rounded differences, then the rounded exponentials
    for (let j = 0; j < size; j++) y[at + j] = x[at + j] - shift;
    let s = 0;
    for (let j = 0; j < size; j++) {
      y[at + j] = Math.exp(y[at + j]);
      s += y[at + j];
    }
    sum[0] = s; // rounded to the dtype, as the composed sum is
    const divisor = sum[0] === 0 ? 1 : sum[0];
    for (let j = 0; j < size; j++) y[at + j] = y[at + j] / divisor;
  }
  return y;
}

/**
 * The gradient of {@linkcode maskedSoftmaxKernel} from its output y and the incoming gradient
 * g, rounded as the composed ops round: p = g ⊙ y, t = Σ p, d = g − t, dx = y ⊙ d.
 *
 * @param y The softmax's output.
 * @param g The gradient of the output.
 * @param layout The sizes.
 * @returns The gradient of the scores.
 */
export function maskedSoftmaxBackwardKernel(
  y: DataArray,
  g: DataArray,
  { rows, size }: SoftmaxLayout,
): DataArray {
  const dx = allocArray(dtypeOfArray(y), rows * size);
  const t = allocArray(dtypeOfArray(y), 1);
  for (let row = 0; row < rows; row++) {
    const at = row * size;
    let s = 0;
    for (let j = 0; j < size; j++) {
      dx[at + j] = g[at + j] * y[at + j];
      s += dx[at + j];
    }
    t[0] = s;
    for (let j = 0; j < size; j++) dx[at + j] = g[at + j] - t[0];
    for (let j = 0; j < size; j++) dx[at + j] = y[at + j] * dx[at + j];
  }
  return dx;
}
