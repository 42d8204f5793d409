import { square, sub, type Tensor } from "@kiso/tensor";
import { checkSameShape, lossReduction } from "./_check.ts";
import { reduceLoss, type ReductionOptions } from "./reduction.ts";

/**
 * Mean squared error, mean of (y − t)² (Goodfellow et al. §6.2: it learns the conditional mean).
 *
 * @param y Predictions.
 * @param t Targets, the same shape.
 * @param options `reduction` (default `mean`).
 * @returns The loss.
 *
 * @example Usage
 * ```ts
 * import { mse } from "@kiso/losses";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(mse(tensor([1, 2]), tensor([0, 4])).item(), 2.5);
 * ```
 */
export function mse(y: Tensor, t: Tensor, options: ReductionOptions = {}): Tensor {
  checkSameShape("mse", y, t);
  const reduction = lossReduction("mse", options);
  return reduceLoss(square(sub(y, t)), reduction);
}
