import { add, mul, relu, sub, type Tensor } from "@kiso/tensor";
import { checkRange } from "@kiso/tensor/errors";
import { checkSameShape, lossReduction } from "./_check.ts";
import { reduceLoss, type ReductionOptions } from "./reduction.ts";

/**
 * The τ-quantile (pinball) loss (1 − τ)·max(y − t, 0) + τ·max(t − y, 0)
 * (quantile regression): its minimiser is the τ-quantile of t. The gradient at y = t is 0.
 *
 * @param y Predictions.
 * @param t Targets, the same shape.
 * @param options `tau` τ in [0, 1] (default 0.5, half the absolute error) and `reduction` (default `mean`).
 * @returns The loss.
 * @throws {RangeError} When τ is outside [0, 1].
 *
 * @example Usage
 * ```ts
 * import { quantileLoss } from "@kiso/losses";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const loss = quantileLoss(tensor([0, 0]), tensor([1, -1]), { tau: 0.75, reduction: "none" });
 * assert.deepEqual(loss.arraySync(), [0.75, 0.25]);
 * ```
 */
export function quantileLoss(
  y: Tensor,
  t: Tensor,
  options: ReductionOptions & { tau?: number } = {},
): Tensor {
  checkSameShape("quantileLoss", y, t);
  const reduction = lossReduction("quantileLoss", options, ["tau"]);
  const tau = options.tau ?? 0.5;
  checkRange("quantileLoss", "tau", tau, 0, 1);
  const over = mul(relu(sub(y, t)), 1 - tau);
  const under = mul(relu(sub(t, y)), tau);
  return reduceLoss(add(over, under), reduction);
}
