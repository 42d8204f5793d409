import type { Tensor } from "@kiso/tensor";

/**
 * The identity f(x) = x, the output activation of regression.
 *
 * @param x The input.
 * @returns `x` itself.
 *
 * @example Usage
 * ```ts
 * import { identity } from "@kiso/activations";
 * import { tensor } from "@kiso/tensor";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([1, -2]);
 * assert.equal(identity(x), x);
 * ```
 */
export function identity(x: Tensor): Tensor {
  return x;
}
