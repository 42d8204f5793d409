import { recordOp } from "../autograd.ts";
import { formatShape, ShapeError } from "../errors.ts";
import { normalizeAxis, shapesEqual } from "../shape.ts";
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
  checkIndices("gather", indices, axis, size);
  const layout = axisLayout(x.shape, axis);
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const y = make(x.backend, x.backend.gather(x.storage, indices.storage, layout), shape);
  return recordOp(y, [x], "gather", (g) => [scatterAddRaw(g, indices, axis, x.shape)]);
}

/**
 * The adjoint of {@linkcode gather} (PyTorch `index_add` into zeros): a zero tensor of `shape`
 * into which the slices of `src` are added at `indices` along `axis`; repeated indices
 * accumulate, in a fixed order on every backend. `src` has the shape
 * `shape[:axis] + indices.shape + shape[axis+1:]`. The gradient gathers back.
 *
 * @param src The slices to add.
 * @param indices int32 indices in `[0, shape[axis])`, any shape.
 * @param shape The result's shape.
 * @param options `axis` (default 0).
 * @returns The sums, of `shape`.
 * @throws {TypeError} When the indices are not int32 or `src` does not fit.
 *
 * @example Usage
 * ```ts
 * import { scatterAdd, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const counts = scatterAdd(tensor([1, 1, 1]), tensor([2, 0, 2], { dtype: "int32" }), [3]);
 * assert.deepEqual(counts.arraySync(), [1, 0, 2]);
 * ```
 */
export function scatterAdd(
  src: Tensor,
  indices: Tensor,
  shape: Shape,
  options: { axis?: number } = {},
): Tensor {
  if (indices.dtype !== "int32") {
    throw new TypeError(`scatterAdd: indices must be int32: got ${indices.dtype}`);
  }
  const axis = normalizeAxis("scatterAdd", options.axis ?? 0, shape.length);
  const expected = [...shape.slice(0, axis), ...indices.shape, ...shape.slice(axis + 1)];
  if (!shapesEqual(src.shape, expected)) {
    throw new ShapeError(
      "scatterAdd",
      [src.shape, indices.shape, shape],
      `src must be ${formatShape(expected)}`,
    );
  }
  checkIndices("scatterAdd", indices, axis, shape[axis]);
  return scatterAddRaw(src, indices, axis, shape);
}

/** Throws a RangeError at the first index outside `[0, size)` (where the backend reads synchronously). */
function checkIndices(op: string, indices: Tensor, axis: number, size: number): void {
  if (indices.backend.readSync === undefined) return;
  const bad = indices.backend.readSync(indices.storage).find((i) => i < 0 || i >= size);
  if (bad !== undefined) {
    throw new RangeError(`${op}: index ${bad} is out of range for axis ${axis} of size ${size}`);
  }
}

/** scatterAdd after the checks, with its gradient. */
function scatterAddRaw(g: Tensor, indices: Tensor, axis: number, shape: Shape): Tensor {
  const layout = axisLayout(shape, axis);
  const y = make(g.backend, g.backend.scatterAdd(g.storage, indices.storage, layout), shape);
  return recordOp(y, [g], "scatterAdd", (gg) => [gather(gg, indices, { axis })]);
}
