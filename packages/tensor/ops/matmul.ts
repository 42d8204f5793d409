import { ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkSame } from "../_op.ts";
import { product } from "./_product.ts";
import { reshape } from "./reshape.ts";

/**
 * The matrix product with NumPy `matmul` semantics: 2-D × 2-D is the usual product; leading
 * dimensions are batch dimensions that broadcast; a 1-D operand is a row (left) or column
 * (right) vector whose dimension is removed from the result.
 *
 * @param a The left operand, `[…, m, k]` or `[k]`.
 * @param b The right operand, `[…, k, n]` or `[k]`.
 * @returns The product, `[…, m, n]`.
 * @throws {ShapeError} When the inner sizes differ or the batch dimensions do not broadcast.
 *
 * @example Usage
 * ```ts
 * import { matmul, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const a = tensor([[1, 2], [3, 4]]);
 * assert.deepEqual(matmul(a, tensor([[5], [6]])).arraySync(), [[17], [39]]);
 * assert.throws(() => matmul(tensor([[1, 2, 3]]), a), /matmul: \[1,3\] × \[2,2\]: inner sizes 3 ≠ 2/);
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkSame("matmul", [a, b]);
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError("matmul", [a.shape, b.shape], "operands must have at least one dimension");
  }
  const a2 = a.rank === 1 ? reshape(a, [1, a.shape[0]]) : a;
  const b2 = b.rank === 1 ? reshape(b, [b.shape[0], 1]) : b;
  if (a2.shape[a2.rank - 1] !== b2.shape[b2.rank - 2]) {
    throw new ShapeError(
      "matmul",
      [a.shape, b.shape],
      `inner sizes ${a2.shape[a2.rank - 1]} ≠ ${b2.shape[b2.rank - 2]}`,
    );
  }
  const y = product(a2, b2, false, false);
  if (a.rank > 1 && b.rank > 1) return y;
  const shape = y.shape.slice(0, -2);
  if (a.rank > 1) shape.push(y.shape[y.rank - 2]);
  if (b.rank > 1) shape.push(y.shape[y.rank - 1]);
  return reshape(y, shape);
}

/**
 * The outer product of two vectors: `[m] ⊗ [n] → [m, n]`.
 *
 * @param a A 1-D tensor.
 * @param b A 1-D tensor.
 * @returns `a_i · b_j`.
 *
 * @example Usage
 * ```ts
 * import { outer, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(outer(tensor([1, 2]), tensor([3, 4])).arraySync(), [[3, 4], [6, 8]]);
 * ```
 */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.rank !== 1 || b.rank !== 1) {
    throw new ShapeError("outer", [a.shape, b.shape], "operands must be 1-D");
  }
  return matmul(reshape(a, [a.size, 1]), reshape(b, [1, b.size]));
}

/**
 * The inner product of two vectors of one length.
 *
 * @param a A 1-D tensor.
 * @param b A 1-D tensor.
 * @returns The scalar `Σ a_i b_i`.
 *
 * @example Usage
 * ```ts
 * import { dot, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(dot(tensor([1, 2]), tensor([3, 4])).item(), 11);
 * ```
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.rank !== 1 || b.rank !== 1) {
    throw new ShapeError("dot", [a.shape, b.shape], "operands must be 1-D");
  }
  return matmul(a, b);
}
