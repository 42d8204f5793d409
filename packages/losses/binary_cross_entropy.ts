import { add, clip, log, mul, softplus, sub, type Tensor } from "@kiso/tensor";
import { checkSameShape, lossReduction } from "./_check.ts";
import { reduceLoss, type ReductionOptions } from "./reduction.ts";

/**
 * Binary cross-entropy from probabilities, −[t ln(y + ε) + (1 − t) ln(1 − y + ε)] (the Bernoulli
 * negative log-likelihood), with the course's guard ε = 1e−7 against ln 0. Each logarithm's
 * argument is capped at 1 (so a perfect prediction costs exactly 0, never less) and each
 * logarithm is floored at −100, as PyTorch's `BCELoss` does (so with `epsilon: 0` a probability of
 * exactly 0 or 1 on the wrong side costs 100, not ∞). Paired with a sigmoid output, δ = y − t.
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
  const reduction = lossReduction("binaryCrossEntropy", options, ["epsilon"]);
  const eps = options.epsilon ?? 1e-7;
  // ln(min(p + ε, 1)) so that a perfect prediction costs exactly 0, floored at −100 as PyTorch's
  // BCELoss does, so that a probability of exactly 0 or 1 costs 100 rather than ∞ or NaN (the
  // argument is floored at e^−100 too, so that no gradient meets 1/0)
  const logOf = (p: Tensor): Tensor =>
    clip(log(clip(add(p, eps), { min: Math.exp(-100), max: 1 })), { min: -100 });
  const positive = mul(t, logOf(y));
  const negative = mul(sub(1, t), logOf(sub(1, y)));
  // 0 − …, not −…: a perfect prediction costs +0
  return reduceLoss(sub(0, add(positive, negative)), reduction);
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
  const reduction = lossReduction("binaryCrossEntropyWithLogits", options);
  // softplus(z) − z·t with the stable softplus kernel: its derivative σ(z) − t is smooth, so the
  // second derivative σ(z)(1 − σ(z)) is right everywhere (relu(z) + softplus(−|z|) would lose it
  // at z = 0, where both pieces have kinks)
  const losses = sub(softplus(z), mul(z, t));
  return reduceLoss(losses, reduction);
}
