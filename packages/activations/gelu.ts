import { add, mul, tanh, type Tensor } from "@kiso/tensor";

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU in its tanh form, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (Hendrycks & Gimpel;
 * PyTorch `gelu(approximate="tanh")`). It differs from the erf form by less than 1e-3.
 *
 * @param x The input (float).
 * @returns The activation.
 *
 * @example Usage
 * ```ts
 * import { gelu } from "@kiso/activations";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(gelu(tensor([0, 100], { dtype: "float64" })).arraySync(), [0, 100]);
 * ```
 */
export function gelu(x: Tensor): Tensor {
  const inner = mul(add(x, mul(mul(mul(x, x), x), 0.044715)), SQRT_2_OVER_PI);
  return mul(mul(x, 0.5), add(tanh(inner), 1));
}
