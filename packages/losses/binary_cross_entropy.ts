import { abs, add, log, mul, neg, relu, softplus, sub, type Tensor } from "@kiso/tensor";
import { checkSameShape } from "./_check.ts";
import { reduceLoss, type ReductionOptions } from "./reduction.ts";

/**
 * Binary cross-entropy from probabilities, −[t ln(y + ε) + (1 − t) ln(1 − y + ε)] (seeds/002
 * eq.28, the Bernoulli negative log-likelihood of seeds/000 §3.1.2), with the seeds' guard
 * ε = 1e−7 against ln 0 (seeds/004). Paired with a sigmoid output, δ = y − t.
 *
 * @param y Probabilities in [0, 1].
 * @param t Targets in [0, 1], the same shape.
 * @param options `reduction` (default `mean`) and `epsilon` (default 1e−7; 0 disables it).
 * @returns The loss.
 *
 * @example Usage
 * ```ts
 * import { binaryCrossEntropy } from "@kiso/losses";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const loss = binaryCrossEntropy(tensor([0.5], { dtype: "float64" }), tensor([1], { dtype: "float64" }), { epsilon: 0 });
 * assert.equal(loss.item(), Math.LN2);
 * ```
 */
export function binaryCrossEntropy(
  y: Tensor,
  t: Tensor,
  options: ReductionOptions & { epsilon?: number } = {},
): Tensor {
  checkSameShape("binaryCrossEntropy", y, t);
  const eps = options.epsilon ?? 1e-7;
  const positive = mul(t, log(add(y, eps)));
  const negative = mul(sub(1, t), log(add(sub(1, y), eps)));
  return reduceLoss(neg(add(positive, negative)), options.reduction ?? "mean");
}

/**
 * Binary cross-entropy from logits z (before the sigmoid), computed stably as
 * max(z, 0) − z·t + ln(1 + e^−|z|), so no logit overflows. Its gradient is σ(z) − t.
 *
 * @param z Logits.
 * @param t Targets in [0, 1], the same shape.
 * @param options `reduction` (default `mean`).
 * @returns The loss.
 *
 * @example Usage
 * ```ts
 * import { binaryCrossEntropyWithLogits } from "@kiso/losses";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const loss = binaryCrossEntropyWithLogits(tensor([0, -1000], { dtype: "float64" }), tensor([1, 0], { dtype: "float64" }));
 * assert.equal(loss.item(), Math.LN2 / 2);
 * ```
 */
export function binaryCrossEntropyWithLogits(
  z: Tensor,
  t: Tensor,
  options: ReductionOptions = {},
): Tensor {
  checkSameShape("binaryCrossEntropyWithLogits", z, t);
  const losses = add(sub(relu(z), mul(z, t)), softplus(neg(abs(z))));
  return reduceLoss(losses, options.reduction ?? "mean");
}
