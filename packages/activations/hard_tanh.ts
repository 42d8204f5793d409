import { clip, greater, less, mul, recordOp, type Tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";

/**
 * Hard tanh, max(min_val, min(max_val, x)), by default clamping to [−1, 1]. Its gradient is 1
 * strictly inside the interval and 0 elsewhere, the ends included, as PyTorch's `F.hardtanh`
 * (where its `clamp` gives 1 at the ends).
 *
 * @param x The input.
 * @param options `minVal` (default −1) and `maxVal` (default 1).
 * @returns The clamped tensor.
 *
 * @example Usage
 * ```ts
 * import { hardTanh } from "@kiso/activations";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(hardTanh(tensor([-3, 0.5, 2])).arraySync(), [-1, 0.5, 1]);
 * ```
 */
export function hardTanh(x: Tensor, options: { minVal?: number; maxVal?: number } = {}): Tensor {
  checkOptions("hardTanh", options, ["minVal", "maxVal"]);
  const min = options.minVal ?? -1;
  const max = options.maxVal ?? 1;
  return recordOp(clip(x.detach(), { min, max }), [x], "hardTanh", (g) => [
    mul(g, mul(greater(x, min), less(x, max))),
  ]);
}
