import { mul, neg, sum, type Tensor } from "@kiso/tensor";
import { classTargets, lossReduction } from "./_check.ts";
import { reduceLoss, type ReductionOptions } from "./reduction.ts";

/**
 * Negative log-likelihood of log-probabilities (PyTorch `nll_loss`): −log p[target] per
 * sample. With `logSoftmax` outputs it equals the cross-entropy.
 *
 * @param logProbs Log-probabilities `[…, C]`.
 * @param target int32 class indices `[…]`, or one-hot targets `[…, C]`.
 * @param options `reduction` over samples (default `mean`).
 * @returns The loss.
 *
 * @example Usage
 * ```ts
 * import { nll } from "@kiso/losses";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(nll(tensor([[-1, -2], [-3, -4]]), tensor([1, 0], { dtype: "int32" })).item(), 2.5);
 * ```
 */
export function nll(logProbs: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const reduction = lossReduction("nll", options);
  const t = classTargets("nll", logProbs, target);
  return reduceLoss(neg(sum(mul(t, logProbs), { axis: -1 })), reduction);
}
