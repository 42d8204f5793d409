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
  return recordOp(expandRaw(x, shape), [x], "broadcastTo", (g) => [sumToShape(g, x.shape)]);
}
