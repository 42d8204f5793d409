import type { AdamStepLayout } from "../backend.ts";
import type { DataArray } from "../dtype.ts";
import { allocArray, dtypeOfArray } from "../dtype.ts";

/**
 * One Adam step, element by element, rounding after every operation as the composed ops do
 * (storing into the output's typed array rounds float32; float64 needs nothing).
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
  const r = dtype === "float32" ? Math.fround : (x: number): number => x;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    m2[i] = r(m[i] * k.beta1) + r(gi * k.oneMinusBeta1);
    v2[i] = r(v[i] * k.beta2) + r(r(gi * gi) * k.oneMinusBeta2);
    const mHat = r(m2[i] / k.mCorrection);
    const denominator = r(r(Math.sqrt(r(v2[i] / k.vCorrection))) + k.eps);
    p2[i] = p[i] - r(r(mHat / denominator) * k.lr);
  }
  return [p2, m2, v2];
}
