import type { SoftmaxCrossEntropyLayout } from "../backend.ts";
import type { DataArray } from "../dtype.ts";
import { allocArray, dtypeOfArray } from "../dtype.ts";

/**
 * Softmax-cross-entropy per row, rounding where the composed ops round (each stored
 * intermediate in the dtype, sums accumulated in float64 in order), so the fused and the
 * composed paths give the same bits: m = max u (NaN propagates), shift = m unless ±∞ (then 0),
 * lse = log Σ exp(u − shift) + shift, loss = lse·Σt − Σ t·u, p = exp(u − lse).
 *
 * @param u The scores `[rows, classes]`.
 * @param t The dense targets.
 * @param layout The sizes.
 * @returns Each row's loss and the probabilities.
 */
export function softmaxCrossEntropyKernel(
  u: DataArray,
  t: DataArray,
  { rows, classes }: SoftmaxCrossEntropyLayout,
): [DataArray, DataArray] {
  const dtype = dtypeOfArray(u);
  const loss = allocArray(dtype, rows);
  const p = allocArray(dtype, rows * classes);
  // every intermediate goes through an array of the dtype, which rounds it as the ops' outputs do
  const d = allocArray(dtype, classes);
  const scalar = allocArray(dtype, 1);
  const rounded = (x: number): number => ((scalar[0] = x), scalar[0]);
  for (let row = 0; row < rows; row++) {
    const at = row * classes;
    let m = -Infinity;
    for (let j = 0; j < classes; j++) if (u[at + j] > m || u[at + j] !== u[at + j]) m = u[at + j];
    const shift = Math.abs(m) !== Infinity ? m : 0;
    for (let j = 0; j < classes; j++) d[j] = u[at + j] - shift;
    let s = 0;
    for (let j = 0; j < classes; j++) {
      d[j] = Math.exp(d[j]);
      s += d[j];
    }
    let mass = 0;
    let tu = 0;
    for (let j = 0; j < classes; j++) {
      mass += t[at + j];
      d[j] = t[at + j] * u[at + j];
      tu += d[j];
    }
    const lse = rounded(rounded(Math.log(rounded(s))) + shift);
    // 0 + …: the composed sum over an axis of one element
    loss[row] = (0 + rounded(lse * rounded(mass))) - rounded(tu);
    for (let j = 0; j < classes; j++) p[at + j] = u[at + j] - lse;
    for (let j = 0; j < classes; j++) p[at + j] = Math.exp(p[at + j]);
  }
  return [loss, p];
}
