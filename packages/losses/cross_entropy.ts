import { add, log, mul, neg, sum, type Tensor } from "@kiso/tensor";
import { classTargets, lossReduction } from "./_check.ts";
import { reduceLoss, type ReductionOptions } from "./reduction.ts";

/**
 * Categorical cross-entropy from probabilities, E = −Σₖ tₖ ln(yₖ + ε) per sample,
 * with ε = 1e−7 guarding log 0 (`log(y + 1e-7)`). Classes are the last axis.
 * For logits use `softmaxCrossEntropy`, which is exact and stable.
 *
 * @param y Probabilities `[…, C]`.
 * @param t One-hot (or soft) targets `[…, C]`, or int32 class indices `[…]`.
 * @param options `reduction` over samples (default `mean`) and `epsilon` (default 1e−7).
 * @returns The loss.
 *
 * @example Usage
 * ```ts
 * import { categoricalCrossEntropy } from "@kiso/losses";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const y = tensor([[0.25, 0.75]], { dtype: "float64" });
 * assert.equal(categoricalCrossEntropy(y, tensor([1], { dtype: "int32" }), { epsilon: 0 }).item(), -Math.log(0.75));
 * ```
 */
export function categoricalCrossEntropy(
  y: Tensor,
  t: Tensor,
  options: ReductionOptions & { epsilon?: number } = {},
): Tensor {
  const reduction = lossReduction("categoricalCrossEntropy", options, ["epsilon"]);
  const target = classTargets("categoricalCrossEntropy", y, t);
  const perSample = neg(sum(mul(target, log(add(y, options.epsilon ?? 1e-7))), { axis: -1 }));
  return reduceLoss(perSample, reduction);
}
