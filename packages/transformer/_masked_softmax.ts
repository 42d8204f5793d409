import {
  div,
  equal,
  exp,
  max,
  mul,
  noGrad,
  recordOp,
  sub,
  sum,
  type Tensor,
  where,
} from "@kiso/tensor";

/**
 * Softmax over the last axis that gives zeros, not NaN, for a row whose scores are all −∞ (a
 * fully masked row): the row's maximum is replaced by 0 before it is subtracted, and an empty
 * sum divides by 1. Elsewhere it is the usual stable softmax (the maximum is subtracted first).
 * Its backward, y ⊙ (g − Σ g ⊙ y), is written in differentiable ops over the output, so second
 * derivatives are right; a fully masked row has zero gradient.
 */
export function maskedSoftmax(scores: Tensor): Tensor {
  const axis = scores.rank - 1;
  const y = noGrad(() => {
    const m = max(scores, { axis, keepDims: true });
    const e = exp(sub(scores, where(equal(m, -Infinity), 0, m)));
    const z = sum(e, { axis, keepDims: true });
    return div(e, where(equal(z, 0), 1, z));
  });
  return recordOp(
    y,
    [scores],
    "maskedSoftmax",
    (g) => [mul(y, sub(g, sum(mul(g, y), { axis, keepDims: true })))],
  );
}
