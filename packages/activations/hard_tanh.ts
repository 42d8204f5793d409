import { clip, type Tensor } from "@kiso/tensor";

/**
 * Hard tanh, max(min_val, min(max_val, x)) (seeds/001 §6.3.3), by default clamping to [−1, 1].
 * Its gradient is 1 on the closed interval (ends included, as PyTorch) and 0 outside.
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
  return clip(x, { min: options.minVal ?? -1, max: options.maxVal ?? 1 });
}
