import { exp, mul, neg, relu, softplus, sub, type Tensor } from "@kiso/tensor";
import { checkSameShape, lossReduction } from "./_check.ts";
import { reduceLoss, type ReductionOptions } from "./reduction.ts";

/**
 * The logistic loss ln(1 + e^{−ty}) (logistic regression) for labels
 * t ∈ {−1, +1} and scores y, computed as softplus(−ty) so it never overflows.
 *
 * @param y Scores.
 * @param t Labels −1 or +1, the same shape.
 * @param options `reduction` (default `mean`).
 * @returns The loss.
 *
 * @example Usage
 * ```ts
 * import { logisticLoss } from "@kiso/losses";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(logisticLoss(tensor([0], { dtype: "float64" }), tensor([1], { dtype: "float64" })).item(), Math.LN2);
 * ```
 */
export function logisticLoss(y: Tensor, t: Tensor, options: ReductionOptions = {}): Tensor {
  checkSameShape("logisticLoss", y, t);
  const reduction = lossReduction("logisticLoss", options);
  return reduceLoss(softplus(neg(mul(t, y))), reduction);
}

/**
 * The exponential loss e^{−ty} (as in AdaBoost) for labels t ∈ {−1, +1}.
 *
 * @param y Scores.
 * @param t Labels −1 or +1, the same shape.
 * @param options `reduction` (default `mean`).
 * @returns The loss.
 *
 * @example Usage
 * ```ts
 * import { exponentialLoss } from "@kiso/losses";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(exponentialLoss(tensor([0]), tensor([-1])).item(), 1);
 * ```
 */
export function exponentialLoss(y: Tensor, t: Tensor, options: ReductionOptions = {}): Tensor {
  checkSameShape("exponentialLoss", y, t);
  const reduction = lossReduction("exponentialLoss", options);
  return reduceLoss(exp(neg(mul(t, y))), reduction);
}

/**
 * The hinge loss max(1 − ty, 0) (support vector machines) for labels
 * t ∈ {−1, +1}. The gradient at the hinge ty = 1 is 0.
 *
 * @param y Scores.
 * @param t Labels −1 or +1, the same shape.
 * @param options `reduction` (default `mean`).
 * @returns The loss.
 *
 * @example Usage
 * ```ts
 * import { hingeLoss } from "@kiso/losses";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(hingeLoss(tensor([2, 0.5, -1]), tensor([1, 1, 1]), { reduction: "none" }).arraySync(), [0, 0.5, 2]);
 * ```
 */
export function hingeLoss(y: Tensor, t: Tensor, options: ReductionOptions = {}): Tensor {
  checkSameShape("hingeLoss", y, t);
  const reduction = lossReduction("hingeLoss", options);
  return reduceLoss(relu(sub(1, mul(t, y))), reduction);
}
