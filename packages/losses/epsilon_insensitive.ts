import { abs, relu, sub, type Tensor } from "@kiso/tensor";
import { checkSameShape, lossReduction } from "./_check.ts";
import { reduceLoss, type ReductionOptions } from "./reduction.ts";

/**
 * The ε-insensitive loss max(|t − y| − ε, 0) (support vector regression):
 * residuals within ε cost nothing.
 *
 * @param y Predictions.
 * @param t Targets, the same shape.
 * @param options `epsilon` ε ≥ 0 (default 0.1) and `reduction` (default `mean`).
 * @returns The loss.
 * @throws {RangeError} When ε is negative.
 *
 * @example Usage
 * ```ts
 * import { epsilonInsensitiveLoss } from "@kiso/losses";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const loss = epsilonInsensitiveLoss(tensor([0, 0]), tensor([0.5, 2]), { epsilon: 1, reduction: "none" });
 * assert.deepEqual(loss.arraySync(), [0, 1]);
 * ```
 */
export function epsilonInsensitiveLoss(
  y: Tensor,
  t: Tensor,
  options: ReductionOptions & { epsilon?: number } = {},
): Tensor {
  checkSameShape("epsilonInsensitiveLoss", y, t);
  const reduction = lossReduction("epsilonInsensitiveLoss", options, ["epsilon"]);
  const epsilon = options.epsilon ?? 0.1;
  if (!(epsilon >= 0)) {
    throw new RangeError(
      `epsilonInsensitiveLoss: epsilon must be >= 0: current value is ${epsilon}`,
    );
  }
  return reduceLoss(relu(sub(abs(sub(t, y)), epsilon)), reduction);
}
