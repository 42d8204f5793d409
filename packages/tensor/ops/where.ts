import { recordOp } from "../autograd.ts";
import { broadcastShapes, broadcastStrides } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { checkSame, make, type TensorLike, toTensors } from "../_op.ts";
import { sumTo } from "./broadcast_to.ts";

function whereRaw(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  checkSame("where", [a, b]);
  const shape = broadcastShapes("where", cond.shape, broadcastShapes("where", a.shape, b.shape));
  const layout = {
    shape,
    condStrides: broadcastStrides(cond.shape, shape),
    aStrides: broadcastStrides(a.shape, shape),
    bStrides: broadcastStrides(b.shape, shape),
  };
  return make(a.backend, a.backend.where(cond.storage, a.storage, b.storage, layout), shape);
}

/**
 * Picks `a` where `cond` is non-zero and `b` elsewhere, element-wise with broadcasting of all
 * three. The gradient flows to the operand that was picked.
 *
 * @param cond The condition (any dtype; non-zero is true).
 * @param a Values where the condition holds.
 * @param b Values elsewhere.
 * @returns The selection, in the broadcast shape.
 *
 * @example Usage
 * ```ts
 * import { tensor, where } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([-1, 2, -3]);
 * assert.deepEqual(where(tensor([0, 1, 0]), x, 0).arraySync(), [0, 2, 0]);
 * ```
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = toTensors(a, b);
  const out = whereRaw(cond, x, y);
  return recordOp(out, [x, y], "where", (g) => [
    sumTo(where(cond, g, 0), x.shape),
    sumTo(where(cond, 0, g), y.shape),
  ]);
}
