import { add, erf, mul, tanh, type Tensor } from "@kiso/tensor";
import { checkOptions } from "@kiso/tensor/errors";

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU (Hendrycks & Gimpel 2016), x·Φ(x) = 0.5·x·(1 + erf(x/√2)), as PyTorch's default; with
 * `approximate: "tanh"`, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), which differs by less
 * than 1e−3.
 *
 * @param x The input (float).
 * @param options `approximate`: `"none"` (default) or `"tanh"`.
 * @returns The activation.
 *
 * @example Usage
 * ```ts
 * import { gelu } from "@kiso/activations";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(gelu(tensor([0, 100], { dtype: "float64" })).arraySync(), [0, 100]);
 * assert.ok(Math.abs(gelu(tensor([1], { dtype: "float64" })).item() - 0.8413447460685429) < 1e-13);
 * ```
 */
export function gelu(x: Tensor, options: { approximate?: "none" | "tanh" } = {}): Tensor {
  checkOptions("gelu", options, ["approximate"]);
  if (options.approximate !== undefined && !["none", "tanh"].includes(options.approximate)) {
    throw new RangeError(
      `gelu: approximate must be "none" or "tanh": current value is "${options.approximate}"`,
    );
  }
  if (options.approximate === "tanh") {
    const inner = mul(add(x, mul(mul(mul(x, x), x), 0.044715)), SQRT_2_OVER_PI);
    return mul(mul(x, 0.5), add(tanh(inner), 1));
  }
  return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
}
