import { recordOp } from "../autograd.ts";
import { ShapeError } from "../errors.ts";
import type { Shape } from "../shape.ts";
import { broadcastShapes, shapesEqual } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { expandRaw, sumToShape } from "../_op.ts";

/**
 * Repeats a tensor along size-1 (or missing leading) dimensions to reach `shape`, as NumPy
 * broadcasting would. The gradient sums back over the repeated dimensions.
 *
 * @param x The input.
 * @param shape The target shape.
 * @returns The broadcast tensor (copied).
 * @throws {ShapeError} When `x` does not broadcast to `shape`.
 *
 * @example Usage
 * ```ts
 * import { broadcastTo, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(broadcastTo(tensor([1, 2]), [2, 2]).arraySync(), [[1, 2], [1, 2]]);
 * ```
 */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  const valid = x.rank <= shape.length &&
    shapesEqual(broadcastShapes("broadcastTo", x.shape, shape), shape);
  if (!valid) {
    throw new ShapeError(
      "broadcastTo",
      [x.shape, shape],
      "the input does not broadcast to the target",
    );
  }
  return recordOp(expandRaw(x, shape), [x], "broadcastTo", (g) => [sumTo(g, x.shape)]);
}

/**
 * Sums a tensor over the dimensions that broadcasting to its shape would repeat, down to `shape`
 * (the adjoint of {@linkcode broadcastTo}; PyTorch's `sum_to_size`). Every op uses it to send
 * the gradient of a broadcast operand back to the operand's shape.
 *
 * @param x The input.
 * @param shape A shape that broadcasts to `x`'s.
 * @returns The sums, shaped `shape`.
 * @throws {ShapeError} When `shape` does not broadcast to `x`'s shape.
 *
 * @example Usage
 * ```ts
 * import { sumTo, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(sumTo(tensor([[1, 2], [3, 4]]), [1, 2]).arraySync(), [[4, 6]]);
 * ```
 */
export function sumTo(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const valid = shape.length <= x.rank &&
    shapesEqual(broadcastShapes("sumTo", shape, x.shape), x.shape);
  if (!valid) {
    throw new ShapeError("sumTo", [x.shape, shape], "the target does not broadcast to the input");
  }
  return recordOp(sumToShape(x, shape), [x], "sumTo", (g) => [broadcastTo(g, x.shape)]);
}
