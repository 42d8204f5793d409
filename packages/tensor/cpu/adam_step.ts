import type { AdamStepLayout } from "../backend.ts";
import type { DataArray } from "../dtype.ts";
import { allocArray, dtypeOfArray } from "../dtype.ts";

/**
 * One Adam step, element by element, rounding after every operation as the composed ops do
 * (`Math.fround` for float32; float64 arithmetic is already float64).
 *
 * @param p The parameter.
 * @param g Its gradient.
 * @param m The first moment.
 * @param v The second moment.
 * @param k The step's constants, already in the dtype.
 * @returns The new parameter, first and second moments.
 */
export function adamStepKernel(
  p: DataArray,
  g: DataArray,
  m: DataArray,
  v: DataArray,
  k: AdamStepLayout,
): [DataArray, DataArray, DataArray] {
  const dtype = dtypeOfArray(p);
  const n = p.length;
  const [p2, m2, v2] = [allocArray(dtype, n), allocArray(dtype, n), allocArray(dtype, n)];
  (dtype === "float32" ? adamFloat32 : adamFloat64)([p, g, m, v, p2, m2, v2], k);
  return [p2, m2, v2];
}

/** The inputs p, g, m, v and the outputs p′, m′, v′. */
type Arrays = readonly [
  DataArray,
  DataArray,
  DataArray,
  DataArray,
  DataArray,
  DataArray,
  DataArray,
];

/** float32: `Math.fround` after every operation (one loop per dtype keeps each monomorphic). */
function adamFloat32([p, g, m, v, p2, m2, v2]: Arrays, k: AdamStepLayout): void {
  const f = Math.fround;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    m2[i] = f(m[i] * k.beta1) + f(gi * k.oneMinusBeta1);
    v2[i] = f(v[i] * k.beta2) + f(f(gi * gi) * k.oneMinusBeta2);
    const denominator = f(f(Math.sqrt(f(v2[i] / k.vCorrection))) + k.eps);
    p2[i] = p[i] - f(f(f(m2[i] / k.mCorrection) / denominator) * k.lr);
  }
}

/** float64: every operation is already rounded to float64. */
function adamFloat64([p, g, m, v, p2, m2, v2]: Arrays, k: AdamStepLayout): void {
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    m2[i] = m[i] * k.beta1 + gi * k.oneMinusBeta1;
    v2[i] = v[i] * k.beta2 + gi * gi * k.oneMinusBeta2;
    p2[i] = p[i] - (m2[i] / k.mCorrection / (Math.sqrt(v2[i] / k.vCorrection) + k.eps)) * k.lr;
  }
}
