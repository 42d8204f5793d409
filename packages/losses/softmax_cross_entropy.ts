import {
  div,
  logSumExp,
  mul,
  noGrad,
  recordFusedOp,
  softmaxCrossEntropyRows,
  sub,
  sum,
  type Tensor,
  unsqueeze,
} from "@kiso/tensor";
import { classTargets } from "./_check.ts";
import { reduceLoss, type ReductionOptions } from "./reduction.ts";

/**
 * Softmax followed by cross-entropy, fused: per sample E = −Σₖ tₖ ln softmax(u)ₖ
 * = (Σₖ tₖ)·log Σⱼ e^{uⱼ} − Σₖ tₖ uₖ, computed stably. Its gradient is the one the material derives by hand (course notes Algorithm 2,
 * course report `delta2 = y − d`): with `mean` over N samples, ∂E/∂u = (softmax(u) − t) / N
 * (for soft targets, softmax(u)·Σt − t). Classes are the last axis.
 *
 * @param logits Scores u `[…, C]`.
 * @param target One-hot (or soft) targets `[…, C]`, or int32 class indices `[…]`.
 * @param options `reduction` over samples (default `mean`).
 * @returns The loss.
 *
 * @example Usage
 * ```ts
 * import { softmaxCrossEntropy } from "@kiso/losses";
 * import { backward, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const u = tensor([[0, 0]], { dtype: "float64", requiresGrad: true });
 * const loss = softmaxCrossEntropy(u, tensor([0], { dtype: "int32" }));
 * assert.equal(loss.item(), Math.LN2);
 * backward(loss);
 * assert.deepEqual(u.grad!.arraySync(), [[-0.5, 0.5]]);
 * ```
 */
export function softmaxCrossEntropy(
  logits: Tensor,
  target: Tensor,
  options: ReductionOptions = {},
): Tensor {
  const t = classTargets("softmaxCrossEntropy", logits, target);
  const reduction = options.reduction ?? "mean";
  const mass = sum(t, { axis: -1, keepDims: true });
  // Σ mass·lse − Σ t·u per sample, reduced (the unfused forward, and the twice-differentiable one)
  const lossOf = (logits: Tensor, lse: Tensor): Tensor =>
    reduceLoss(
      sub(sum(mul(lse, mass), { axis: -1 }), sum(mul(t, logits), { axis: -1 })),
      reduction,
    );
  const composed = (logits: Tensor): Tensor =>
    lossOf(logits, logSumExp(logits, { axis: -1, keepDims: true }));
  const [loss, probabilities] = noGrad(() => {
    const [perSample, p] = softmaxCrossEntropyRows(logits, t);
    return [reduceLoss(perSample, reduction), p] as const;
  });
  return recordFusedOp(loss, [logits], "softmaxCrossEntropy", (g) => {
    const samples = logits.size / logits.shape[logits.rank - 1];
    const perSample = reduction === "none"
      ? unsqueeze(g, -1)
      : reduction === "mean"
      ? div(g, samples)
      : g;
    const delta = sub(mul(probabilities, mass), t);
    return [mul(delta, perSample)];
  }, composed);
}
