import { abs, sub, type Tensor } from "@kiso/tensor";
import { checkSameShape, lossReduction } from "./_check.ts";
import { reduceLoss, type ReductionOptions } from "./reduction.ts";

/**
 * Mean absolute error, mean of |y − t| (Goodfellow et al. §6.2: it learns the conditional median).
 * The gradient at y = t is 0.
 *
 * @param y Predictions.
 * @param t Targets, the same shape.
 * @param options `reduction` (default `mean`).
 * @returns The loss.
 *
 * @example Usage
 * ```ts
 * import { mae } from "@kiso/losses";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(mae(tensor([1, 2]), tensor([0, 4])).item(), 1.5);
 * ```
 */
export function mae(y: Tensor, t: Tensor, options: ReductionOptions = {}): Tensor {
  checkSameShape("mae", y, t);
  const reduction = lossReduction("mae", options);
  return reduceLoss(abs(sub(y, t)), reduction);
}
