import { recordOp } from "../autograd.ts";
import type { Tensor } from "../tensor.ts";
import { binaryRaw, scalarLike } from "../_op.ts";
import { mul } from "./arithmetic.ts";

/**
 * Limits values to `[min, max]` (NumPy `clip`). The gradient is 1 inside the interval, its
 * ends included, and 0 outside.
 *
 * @param x The input.
 * @param options `min` (default −Infinity) and `max` (default Infinity).
 * @returns The clipped tensor.
 * @throws {RangeError} When min > max.
 *
 * @example Usage
 * ```ts
 * import { clip, tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(clip(tensor([-2, 0.5, 3]), { min: 0, max: 1 }).arraySync(), [0, 0.5, 1]);
 * ```
 */
export function clip(x: Tensor, options: { min?: number; max?: number }): Tensor {
  const int = x.dtype === "int32";
  const min = options.min ?? (int ? -2147483648 : -Infinity);
  const max = options.max ?? (int ? 2147483647 : Infinity);
  if (min > max) {
    throw new RangeError(`clip: min must be <= max: current values are min ${min}, max ${max}`);
  }
  const lo = scalarLike(min, x);
  const hi = scalarLike(max, x);
  const y = binaryRaw("minimum", binaryRaw("maximum", x, lo), hi);
  return recordOp(y, [x], "clip", (g) => {
    const inside = binaryRaw(
      "mul",
      binaryRaw("greaterEqual", x, lo),
      binaryRaw("lessEqual", x, hi),
    );
    return [mul(g, inside)];
  });
}
