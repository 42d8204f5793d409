import { noGrad } from "../autograd.ts";
import { ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkFloat, checkSame, make } from "../_op.ts";
import { mul, sub } from "./arithmetic.ts";
import { logSumExp } from "./log_sum_exp.ts";
import { sum } from "./reduce.ts";
import { exp } from "./unary.ts";

/**
 * Softmax-cross-entropy row by row over the last axis, forward only: each row's loss
 * E = (Σₖ tₖ)·log Σⱼ e^{uⱼ} − Σₖ tₖuₖ (computed stably) and the probabilities softmax(u). A fused
 * kernel where the backend has one (cpu, wasm and webgpu do), else composed of ops; both round
 * as the composed ops round, so they give the same bits. Records no gradient: it is the forward
 * of a loss that records its own backward from the probabilities, as `softmaxCrossEntropy` in
 * `@kiso/losses` does.
 *
 * @param logits Scores u `[…, C]` (float).
 * @param targets Dense (one-hot or soft) targets t, shaped and typed like `logits`.
 * @returns Each row's loss `[…]` and the probabilities `[…, C]`.
 * @throws {TypeError} For int32 or scalar scores, or targets of another shape, dtype or backend.
 *
 * @example Usage
 * ```ts
 * import { softmaxCrossEntropyRows, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const u = tensor([[0, 0]], { dtype: "float64" });
 * const [loss, p] = softmaxCrossEntropyRows(u, tensor([[1, 0]], { dtype: "float64" }));
 * assert.deepEqual(loss.arraySync(), [Math.LN2]);
 * assert.deepEqual(p.arraySync(), [[0.5, 0.5]]);
 * ```
 */
export function softmaxCrossEntropyRows(logits: Tensor, targets: Tensor): [Tensor, Tensor] {
  checkFloat("softmaxCrossEntropyRows", logits);
  checkSame("softmaxCrossEntropyRows", [logits, targets]);
  if (
    logits.rank === 0 || targets.rank !== logits.rank ||
    targets.shape.some((d, i) => d !== logits.shape[i])
  ) {
    throw new ShapeError(
      "softmaxCrossEntropyRows",
      [logits.shape, targets.shape],
      "expects scores […, classes] and targets of the same shape",
    );
  }
  const backend = logits.backend;
  if (backend.softmaxCrossEntropy === undefined) {
    return noGrad(() => {
      const mass = sum(targets, { axis: -1, keepDims: true });
      const lse = logSumExp(logits, { axis: -1, keepDims: true });
      const loss = sub(sum(mul(lse, mass), { axis: -1 }), sum(mul(targets, logits), { axis: -1 }));
      return [loss, exp(sub(logits, lse))];
    });
  }
  const classes = logits.shape[logits.rank - 1];
  const rows = classes === 0 ? 0 : logits.size / classes;
  const [loss, p] = backend.softmaxCrossEntropy(logits.storage, targets.storage, {
    rows,
    classes,
  });
  return [make(backend, loss, logits.shape.slice(0, -1)), make(backend, p, logits.shape.slice())];
}
