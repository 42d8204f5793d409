import { expm1, greater, mul, type Tensor, where } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";

/**
 * Exponential linear unit: x for x > 0, α(eˣ − 1) otherwise. eˣ − 1 is
 * computed on min(x, 0), so large inputs never overflow; the gradient at 0 is α
 * (the x ≤ 0 branch).
 *
 * @param x The input (float).
 * @param options `alpha` (default 1).
 * @returns The activation.
 *
 * @example Usage
 * ```ts
 * import { elu } from "@kiso/activations";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const y = elu(tensor([-1000, 0, 2], { dtype: "float64" })).arraySync();
 * assert.deepEqual(y, [-1, 0, 2]);
 * ```
 */
export function elu(x: Tensor, options: { alpha?: number } = {}): Tensor {
  checkOptions("elu", options, ["alpha"]);
  const positive = greater(x, 0);
  return where(positive, x, mul(expm1(where(positive, 0, x)), options.alpha ?? 1));
}
