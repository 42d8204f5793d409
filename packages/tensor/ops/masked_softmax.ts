import { noGrad, recordFusedOp, recordOp } from "../autograd.ts";
import { ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkFloat, make } from "../_op.ts";
import { div, mul, sub } from "./arithmetic.ts";
import { equal } from "./compare.ts";
import { max, sum } from "./reduce.ts";
import { exp } from "./unary.ts";
import { where } from "./where.ts";

/**
 * Softmax over the last axis for masked scores: a row whose entries are all −∞ (every key
 * masked out) gives zeros rather than NaN; other rows are the usual softmax, computed after
 * subtracting the row's maximum so that it never overflows. The backward is
 * y ⊙ (g − Σ g ⊙ y), zero on a fully masked row. A fused kernel forward and backward where the
 * backend has one (the cpu backend does; it rounds as these ops round, so both paths give the
 * same bits), else composed of element-wise ops and reductions; second derivatives go through
 * the composed form.
 *
 * @param x The scores (float), masked entries at −∞.
 * @returns The probabilities along the last axis (or zeros for a fully masked row).
 * @throws {TypeError} For an int32 tensor or a scalar.
 *
 * @example Usage
 * ```ts
 * import { maskedSoftmax, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const y = maskedSoftmax(tensor([[0, 0, -Infinity], [-Infinity, -Infinity, -Infinity]], { dtype: "float64" }));
 * assert.deepEqual(y.arraySync(), [[0.5, 0.5, 0], [0, 0, 0]]);
 * ```
 */
export function maskedSoftmax(x: Tensor): Tensor {
  checkFloat("maskedSoftmax", x);
  if (x.rank === 0) throw new ShapeError("maskedSoftmax", [x.shape], "needs at least one axis");
  const backend = x.backend;
  if (backend.maskedSoftmax === undefined || backend.maskedSoftmaxBackward === undefined) {
    return maskedSoftmaxComposed(x);
  }
  const size = x.shape[x.rank - 1];
  const layout = { rows: size === 0 ? 0 : x.size / size, size };
  const y = make(backend, backend.maskedSoftmax(x.storage, layout), x.shape.slice());
  return recordFusedOp(
    y,
    [x],
    "maskedSoftmax",
    (g) => [
      make(backend, backend.maskedSoftmaxBackward!(y.storage, g.storage, layout), x.shape.slice()),
    ],
    maskedSoftmaxComposed,
  );
}

/**
 * The op in element-wise ops and reductions (backends without the kernel, and second
 * derivatives): the forward without a graph, the backward y ⊙ (g − Σ g ⊙ y) in differentiable
 * ops of the output, which carries this op's own backward, so every order is right.
 */
function maskedSoftmaxComposed(x: Tensor): Tensor {
  const axis = x.rank - 1;
  const y = noGrad(() => {
    const m = max(x, { axis, keepDims: true });
    const e = exp(sub(x, where(equal(m, -Infinity), 0, m)));
    const z = sum(e, { axis, keepDims: true });
    return div(e, where(equal(z, 0), 1, z));
  });
  return recordOp(
    y,
    [x],
    "maskedSoftmax",
    (g) => [mul(y, sub(g, sum(mul(g, y), { axis, keepDims: true })))],
  );
}
