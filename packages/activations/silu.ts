import { mul, sigmoid, type Tensor } from "@kiso/tensor";

/**
 * SiLU (swish), x·σ(x).
 *
 * @param x The input (float).
 * @returns The activation.
 *
 * @example Usage
 * ```ts
 * import { silu } from "@kiso/activations";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(silu(tensor([0, -1000], { dtype: "float64" })).arraySync(), [0, -0]);
 * ```
 */
export function silu(x: Tensor): Tensor {
  return mul(x, sigmoid(x));
}
