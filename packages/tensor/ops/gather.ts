import { recordOp } from "../autograd.ts";
import { normalizeAxis } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import type { Shape } from "../shape.ts";
import { axisLayout, make } from "../_op.ts";

/**
 * Picks slices along an axis by index (NumPy `take`, tfjs `gather`, PyTorch `index_select`
 * for 1-D indices): the result's shape is `x.shape[:axis] + indices.shape + x.shape[axis+1:]`.
 * The gradient adds back into the picked positions (repeats accumulate).
 *
 * @param x The input.
 * @param indices int32 indices in `[0, x.shape[axis])`, any shape.
 * @param options `axis` (default 0).
 * @returns The gathered tensor.
 * @throws {TypeError} When the indices are not int32.
 * @throws {RangeError} When an index is out of range.
 *
 * @example Usage
 * ```ts
 * import { gather, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[1, 2], [3, 4], [5, 6]]);
 * assert.deepEqual(gather(x, tensor([2, 0], { dtype: "int32" })).arraySync(), [[5, 6], [1, 2]]);
 * assert.deepEqual(gather(x, tensor([1], { dtype: "int32" }), { axis: 1 }).arraySync(), [[2], [4], [6]]);
 * ```
 */
export function gather(x: Tensor, indices: Tensor, options: { axis?: number } = {}): Tensor {
  if (indices.dtype !== "int32") {
    throw new TypeError(`gather: indices must be int32: got ${indices.dtype}`);
  }
  const axis = normalizeAxis("gather", options.axis ?? 0, x.rank);
  const size = x.shape[axis];
  if (x.backend.readSync !== undefined) {
    const bad = x.backend.readSync(indices.storage).find((i) => i < 0 || i >= size);
    if (bad !== undefined) {
      throw new RangeError(`gather: index ${bad} is out of range for axis ${axis} of size ${size}`);
    }
  }
  const layout = axisLayout(x.shape, axis);
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const y = make(x.backend, x.backend.gather(x.storage, indices.storage, layout), shape);
  return recordOp(y, [x], "gather", (g) => [scatterAdd(g, indices, axis, x.shape)]);
}

/** The adjoint of gather: adds the rows of `g` into a zero tensor of `shape` at `indices`. */
function scatterAdd(g: Tensor, indices: Tensor, axis: number, shape: Shape): Tensor {
  const layout = axisLayout(shape, axis);
  const y = make(g.backend, g.backend.scatterAdd(g.storage, indices.storage, layout), shape);
  return recordOp(y, [g], "scatterAdd", (gg) => [gather(gg, indices, { axis })]);
}
