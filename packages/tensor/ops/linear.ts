import { ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkSame } from "../_op.ts";
import { add } from "./arithmetic.ts";
import { reshape } from "./reshape.ts";
import { product } from "./_product.ts";

/**
 * The affine map of a dense layer, y = x·Wᵀ + b, with PyTorch's weight layout `[out, in]`
 * (u = Wx + b for one sample). The transpose is never materialised: forward and backward read W
 * in place (∂x = g·W, ∂W = gᵀ·x, ∂b = Σ g).
 *
 * @param x Inputs `[…, in]`.
 * @param weight Weights `[out, in]`.
 * @param bias Optional biases `[out]`.
 * @returns Outputs `[…, out]`.
 * @throws {ShapeError} When the sizes do not fit.
 *
 * @example Usage
 * ```ts
 * import { linear, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const y = linear(tensor([[1, 2]]), tensor([[1, 0], [1, 1], [0, 2]]), tensor([0, 0, 1]));
 * assert.deepEqual(y.arraySync(), [[1, 3, 5]]);
 * ```
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  checkSame("linear", bias ? [x, weight, bias] : [x, weight]);
  const inFeatures = x.shape[x.rank - 1];
  if (weight.rank !== 2 || x.rank < 1 || weight.shape[1] !== inFeatures) {
    throw new ShapeError("linear", [x.shape, weight.shape], `weight must be [out, ${inFeatures}]`);
  }
  if (bias !== undefined && (bias.rank !== 1 || bias.shape[0] !== weight.shape[0])) {
    throw new ShapeError("linear", [weight.shape, bias.shape], `bias must be [${weight.shape[0]}]`);
  }
  const rows = reshape(x, [-1, inFeatures]);
  const y = product(rows, weight, false, true);
  const out = reshape(y, [...x.shape.slice(0, -1), weight.shape[0]]);
  return bias === undefined ? out : add(out, bias);
}
