import { recordOp } from "../autograd.ts";
import { ShapeError } from "../errors.ts";
import { stridesOf } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { make } from "../_op.ts";

/**
 * Permutes the dimensions (NumPy `transpose`, PyTorch `permute`): output dimension i is input
 * dimension `axes[i]`. Without `axes` the order is reversed (a matrix transpose for 2-D).
 *
 * @param x The input.
 * @param axes A permutation of `0 … rank−1` (negative axes count from the end).
 * @returns The permuted tensor (copied contiguous).
 * @throws {ShapeError} When `axes` is not a permutation.
 *
 * @example Usage
 * ```ts
 * import { tensor, transpose, zeros } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(transpose(tensor([[1, 2, 3]])).arraySync(), [[1], [2], [3]]);
 * assert.deepEqual(transpose(zeros([2, 3, 4]), [2, 0, 1]).shape, [4, 2, 3]);
 * ```
 */
export function transpose(x: Tensor, axes?: readonly number[]): Tensor {
  const rank = x.rank;
  const perm = (axes ?? x.shape.map((_, i) => rank - 1 - i)).map((a) => (a < 0 ? a + rank : a));
  const valid = perm.length === rank &&
    perm.every((a, i) => Number.isInteger(a) && a >= 0 && a < rank && perm.indexOf(a) === i);
  if (!valid) {
    throw new ShapeError(
      "transpose",
      [x.shape],
      `axes [${(axes ?? []).join(",")}] are not a permutation of ${rank} dimensions`,
    );
  }
  const strides = stridesOf(x.shape);
  const shape = perm.map((a) => x.shape[a]);
  const storage = x.backend.copyStrided(x.storage, {
    shape,
    strides: perm.map((a) => strides[a]),
    offset: 0,
  });
  const inverse = new Array<number>(rank);
  perm.forEach((a, i) => (inverse[a] = i));
  return recordOp(
    make(x.backend, storage, shape),
    [x],
    "transpose",
    (g) => [transpose(g, inverse)],
  );
}
