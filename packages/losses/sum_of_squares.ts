import { mul, square, sub, type Tensor } from "@kiso/tensor";
import { checkSameShape, lossReduction } from "./_check.ts";
import { reduceLoss, type ReductionOptions } from "./reduction.ts";

/**
 * The sum-of-squares error E = ½ Σₖ (yₖ − tₖ)². Paired with an identity
 * output its gradient is δ = y − t, the output error of back-propagation.
 *
 * @param y Predictions.
 * @param t Targets, the same shape.
 * @param options `reduction` (default `sum`, as E above).
 * @returns The loss.
 *
 * @example Usage
 * ```ts
 * import { sumOfSquares } from "@kiso/losses";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sumOfSquares(tensor([1, 2]), tensor([0, 4])).item(), 2.5);
 * ```
 */
export function sumOfSquares(y: Tensor, t: Tensor, options: ReductionOptions = {}): Tensor {
  checkSameShape("sumOfSquares", y, t);
  const reduction = lossReduction("sumOfSquares", options, [], "sum");
  return reduceLoss(mul(square(sub(y, t)), 0.5), reduction);
}
