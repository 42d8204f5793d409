import {
  div,
  exp,
  logSumExp,
  max,
  mul,
  noGrad,
  recordOp,
  sub,
  sum,
  type Tensor,
} from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";
import { normalizeAxis } from "@kiso/tensor/shape";

/**
 * Softmax along an axis, yᵢ = e^{xᵢ} / Σⱼ e^{xⱼ} , computed after
 * subtracting the maximum so it never overflows. Fused backward:
 * ∂L/∂x = y ⊙ (g − Σ g ⊙ y).
 *
 * @param x The input (float).
 * @param options `axis` (default −1).
 * @returns Probabilities that sum to 1 along the axis.
 *
 * @example Usage
 * ```ts
 * import { softmax } from "@kiso/activations";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(softmax(tensor([[1000, 1000]], { dtype: "float64" })).arraySync(), [[0.5, 0.5]]);
 * ```
 */
export function softmax(x: Tensor, options: { axis?: number } = {}): Tensor {
  checkOptions("softmax", options, ["axis"]);
  const axis = normalizeAxis("softmax", options.axis ?? -1, x.rank);
  const y = noGrad(() => {
    const e = exp(sub(x, max(x, { axis, keepDims: true })));
    return div(e, sum(e, { axis, keepDims: true }));
  });
  return recordOp(
    y,
    [x],
    "softmax",
    (g) => [mul(y, sub(g, sum(mul(g, y), { axis, keepDims: true })))],
  );
}

/**
 * log softmax along an axis, xᵢ − log Σⱼ e^{xⱼ}, stable for any input (the "log-softmax for
 * stability" of Goodfellow et al. §6.2).
 *
 * @param x The input (float).
 * @param options `axis` (default −1).
 * @returns Log-probabilities along the axis.
 *
 * @example Usage
 * ```ts
 * import { logSoftmax } from "@kiso/activations";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const y = logSoftmax(tensor([0, 0], { dtype: "float64" })).arraySync();
 * assert.deepEqual(y, [-Math.LN2, -Math.LN2]);
 * ```
 */
export function logSoftmax(x: Tensor, options: { axis?: number } = {}): Tensor {
  checkOptions("logSoftmax", options, ["axis"]);
  const axis = normalizeAxis("logSoftmax", options.axis ?? -1, x.rank);
  return sub(x, logSumExp(x, { axis, keepDims: true }));
}
